import type { BehaviorSignal } from './behavior-signal.js';

/** `eq` compares text, numbers (numerically) and booleans; the others only match JSON numbers. */
export type AttributeFilterOperator = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

export interface AttributeFilter {
  /** A top-level attribute name (ATTRIBUTE_NAME_PATTERN). */
  readonly name: string;
  readonly operator: AttributeFilterOperator;
  /** Text for `eq` (matched as text, number or boolean); a decimal number for the numeric operators. */
  readonly value: string;
}

/** What to read; every read is scoped to one tenant. */
export interface BehaviorQuery {
  readonly tenantId: string;
  readonly userId?: string;
  readonly schemaId?: string;
  /** Inclusive lower bound on the signal's timestamp (occurred_at). */
  readonly start?: Date;
  /** Exclusive upper bound, so consecutive windows never count a signal twice. */
  readonly end?: Date;
  /** All must hold. */
  readonly attributes?: readonly AttributeFilter[];
  /** Page size for `query` (default 50, at most 500); for `stream`, an optional cap on the rows yielded. */
  readonly limit?: number;
  /** Opaque position returned as `nextCursor`; the next page starts after it. */
  readonly cursor?: string;
  /** Newest first by default; `asc` lets jobs replay history in order. */
  readonly order?: 'desc' | 'asc';
}

export interface BehaviorQueryPage {
  readonly items: BehaviorSignal[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Read access to stored signals, so the query endpoints do not depend on where signals
 * live. The default reads PostgreSQL; external analytics stores can provide their own.
 * Throws BehaviorQueryError for a query it cannot run (bad cursor, bad filter).
 */
export interface BehaviorDataProvider {
  readonly providerType: string;
  query(query: BehaviorQuery): Promise<BehaviorQueryPage>;
  /** Every matching signal once, in order, without loading them all (large scans, jobs). */
  stream(query: BehaviorQuery): AsyncIterable<BehaviorSignal>;
  /** One signal of the tenant, or null (also when it belongs to another tenant). */
  findById(tenantId: string, id: string): Promise<BehaviorSignal | null>;
  /** Called once before the application serves. */
  init?(): Promise<void>;
  /** Called once at shutdown. */
  close?(): Promise<void>;
}
