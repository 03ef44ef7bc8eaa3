import type { BehaviorEvent, BehaviorEventKind } from '../events/behavior-event.js';

/** Filter for {@link BehaviorStore.query}. `since` and `until` are both inclusive. */
export interface BehaviorQuery {
  tenantId: string;
  userId?: string;
  role?: string;
  since?: Date | number;
  until?: Date | number;
  kinds?: readonly BehaviorEventKind[];
}

/**
 * Where the behavior tracker writes and the analyzer reads.
 *
 * `append` must be idempotent on `event.id` (the tracker re-sends a whole batch after a failure).
 * Throw a `BehaviorStoreError` with `retryable: false` for a batch that will never be accepted, so the
 * tracker discards it instead of retrying forever; any other error is treated as transient and retried.
 */
export interface BehaviorStore {
  append(events: readonly BehaviorEvent[]): Promise<void>;
  query(query: BehaviorQuery): Promise<BehaviorEvent[]>;
}
