import type { OverlayAuditRecord, OverlayAuditSink } from '../contracts/overlay-audit-sink.js';

export interface BatchingAuditSinkOptions {
  /** Where batches go (e.g. a database-backed sink doing one multi-row INSERT per write). */
  readonly target: OverlayAuditSink;
  /** Flush as soon as this many records are buffered. */
  readonly maxBatchSize?: number;
  /** Flush buffered records at most this long after the first one arrived. */
  readonly flushIntervalMs?: number;
  /** Called with the failed batch for background flushes; defaults to console.error. */
  readonly onError?: (error: unknown, records: readonly OverlayAuditRecord[]) => void;
}

/**
 * Buffers audit records so apply() costs an array push, and hands them to the target in
 * batches by size or after an interval. Failed background batches go to onError (the
 * records are included so the caller can retry or dead-letter them); they are not retried
 * here, to keep memory bounded when the target is down.
 */
export class BatchingAuditSink implements OverlayAuditSink {
  private readonly target: OverlayAuditSink;
  private readonly maxBatchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onError: (error: unknown, records: readonly OverlayAuditRecord[]) => void;
  private buffer: OverlayAuditRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(options: BatchingAuditSinkOptions) {
    this.target = options.target;
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.onError =
      options.onError ??
      ((error, records) => console.error(`overlay audit: ${records.length} records not written`, error));
  }

  get pending(): number {
    return this.buffer.length;
  }

  write(records: readonly OverlayAuditRecord[]): void {
    if (this.closed) throw new Error('BatchingAuditSink is closed');
    for (const record of records) this.buffer.push(record);
    if (this.buffer.length >= this.maxBatchSize) {
      this.background();
    } else if (this.timer === undefined && this.buffer.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.background();
      }, this.flushIntervalMs);
      // A pending audit flush should not keep a CLI or test process alive; close() drains it.
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  /** Writes everything buffered and waits for writes already under way. Rejects if this flush fails. */
  async flush(): Promise<void> {
    this.clearTimer();
    const batches = this.takeBatches();
    const others = [...this.inFlight];
    let failure: unknown;
    for (const batch of batches) {
      try {
        await this.target.write(batch);
      } catch (error) {
        failure ??= error;
        this.onError(error, batch);
      }
    }
    await Promise.allSettled(others);
    if (failure !== undefined) throw failure;
  }

  /** Flushes, stops accepting records and closes the target. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.target.close?.();
    }
  }

  private background(): void {
    this.clearTimer();
    for (const batch of this.takeBatches()) {
      const write = (async () => {
        try {
          await this.target.write(batch);
        } catch (error) {
          this.onError(error, batch);
        }
      })();
      this.inFlight.add(write);
      void write.finally(() => this.inFlight.delete(write));
    }
  }

  private takeBatches(): OverlayAuditRecord[][] {
    const all = this.buffer;
    this.buffer = [];
    const batches: OverlayAuditRecord[][] = [];
    for (let i = 0; i < all.length; i += this.maxBatchSize) batches.push(all.slice(i, i + this.maxBatchSize));
    return batches;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
