import type { BehaviorSignal } from '../contracts/behavior-signal.js';

/** A committed signal as every built-in sink writes it (docs/sinks.md, "Format"). */
export interface SignalRecord {
  /** The signal's id (UUIDv7): the idempotency key a receiver deduplicates on. */
  readonly id: string;
  readonly tenantId: string;
  readonly schemaId: string;
  readonly schemaVersion: number;
  readonly userId: string | null;
  readonly sessionId: string | null;
  /** ISO 8601, UTC. */
  readonly occurredAt: string;
  /** ISO 8601, UTC. */
  readonly ingestedAt: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export function signalRecord(signal: BehaviorSignal): SignalRecord {
  return {
    id: signal.id,
    tenantId: signal.tenantId,
    schemaId: signal.schemaId,
    schemaVersion: signal.schemaVersion,
    userId: signal.userId,
    sessionId: signal.sessionId,
    occurredAt: signal.timestamp,
    ingestedAt: signal.ingestedAt,
    attributes: signal.attributes,
  };
}
