import type { BehaviorSignal, FailedSignal } from './behavior-signal.js';

export interface SinkWriteResult {
  /** For each written signal, in input order: its own id when stored, or the id of the signal that already held its key. */
  readonly outcomes: readonly { readonly status: 'stored' | 'duplicate'; readonly id: string }[];
}

/**
 * Where validated signals go. `acceptBatch` resolves only once the signals (and the
 * failed items given with them) are durable; a rejection means none of them were written.
 */
export interface BehaviorSignalSink {
  readonly sinkType: string;
  accept(signal: BehaviorSignal): Promise<SinkWriteResult>;
  acceptBatch(signals: readonly BehaviorSignal[], failed?: readonly FailedSignal[]): Promise<SinkWriteResult>;
  /** Waits for everything accepted so far to be durable. */
  flush(): Promise<void>;
}
