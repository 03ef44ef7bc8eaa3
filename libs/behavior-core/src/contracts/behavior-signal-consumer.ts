import type pg from 'pg';
import type { BehaviorSignal } from './behavior-signal.js';

/** A committed signal as the stream delivers it, with its place in its partition. */
export interface StreamedSignal {
  readonly signal: BehaviorSignal;
  readonly partition: number;
  readonly xid: string;
  readonly seq: string;
  readonly ingestedAtMs: number;
  /** occurred_at as microsecond UTC text: joins back to behavior_signals exactly (a Date keeps ms). */
  readonly occurredKey: string;
}

/** Consecutive signals of one partition, in commit order (a user's signals in the order they were stored). */
export interface SignalConsumerBatch {
  readonly partition: number;
  readonly signals: readonly StreamedSignal[];
}

interface SignalConsumerBase {
  /** Unique; names the consumer's checkpoints (renaming one starts it over from the beginning). */
  readonly name: string;
  /** Signals per batch at most (default 1000). */
  readonly batchSize?: number;
  /**
   * A batch smaller than `batchSize` waits until its oldest signal is this old: fewer, larger
   * batches at the price of up to this much lag (default 0: every batch goes at once). Drains
   * never wait.
   */
  readonly lingerMs?: number;
}

/**
 * Writes to PostgreSQL: `handle` runs inside the batch's transaction on `client`, and the
 * checkpoint moves in the same transaction: every signal takes effect exactly once.
 */
export interface TransactionalSignalConsumer extends SignalConsumerBase {
  readonly delivery: 'transactional';
  handle(batch: SignalConsumerBatch, client: pg.PoolClient): Promise<unknown>;
}

/**
 * Delivers elsewhere (a queue, an object store, a search index): the checkpoint moves only after
 * `handle` resolved, i.e. after the receiver acknowledged. At least once: after a crash a batch
 * may come again, with the same signal ids, for the receiver to deduplicate.
 */
export interface ExternalSignalConsumer extends SignalConsumerBase {
  readonly delivery: 'external';
  handle(batch: SignalConsumerBatch): Promise<unknown>;
}

/** A reader of the signal stream, registered with `@RegisterSignalConsumer()` (docs/stream.md). */
export type BehaviorSignalConsumer = TransactionalSignalConsumer | ExternalSignalConsumer;
