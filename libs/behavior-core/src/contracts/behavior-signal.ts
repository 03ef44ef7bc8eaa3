/** A signal as stored: validated, enriched, committed. */
export interface BehaviorSignal {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string | null;
  readonly sessionId: string | null;
  readonly schemaId: string;
  readonly schemaVersion: number;
  readonly signalKey: string | null;
  readonly source: string | null;
  /** ISO 8601 */
  readonly timestamp: string;
  /** ISO 8601 */
  readonly ingestedAt: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** What a client sends for one signal (the tenant always comes from the API key). */
export interface SignalEnvelope {
  schemaId: string;
  schemaVersion?: number;
  signalKey?: string;
  userId?: string;
  sessionId?: string;
  timestamp?: string;
  source?: string;
  attributes: Record<string, unknown>;
}

export interface SignalIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** A rejected item, kept with its payload and reasons in failed_signals. */
export interface FailedSignal {
  readonly id: string;
  readonly tenantId: string;
  readonly schemaId: string | null;
  readonly schemaVersion: number | null;
  readonly signalKey: string | null;
  readonly payload: unknown;
  readonly reasons: readonly SignalIssue[];
  readonly failedAt: string;
  /**
   * Keyed hash of the item's `userId` (docs/privacy.md): a store does not keep a failed item of a
   * suppressed user, which would store the erased id again.
   */
  readonly userHash?: string | null;
}
