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
  /**
   * Records held at most (buffered, waiting for a write slot, or being written). Beyond it new
   * records are dropped and counted (`dropped`), never queued: apply() must not wait for or grow
   * with a slow or unreachable database. Default 10,000.
   */
  readonly maxPendingRecords?: number;
  /** Batches written at once; further batches wait for a slot. Default 2. */
  readonly maxConcurrentWrites?: number;
  /** Called when records are dropped at the cap, with how many now and in total. */
  readonly onDrop?: (dropped: number, totalDropped: number) => void;
}

/**
 * Buffers audit records so apply() costs an array push, and hands them to the target in
 * batches by size or after an interval. Failed background batches go to onError (the
 * records are included so the caller can retry or dead-letter them); they are not retried
 * here, to keep memory bounded when the target is down.
 *
 * The work held is bounded: at most `maxConcurrentWrites` batches are written at once and at
 * most `maxPendingRecords` records are held in all. The policy at the cap is drop, not
 * backpressure: an audit record is worth less than the overlay resolution that produced it, so
 * a slow database costs audit records (counted in `dropped` and reported to onDrop), never
 * request latency or memory.
 */
export class BatchingAuditSink implements OverlayAuditSink {
  private readonly target: OverlayAuditSink;
  private readonly maxBatchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onError: (error: unknown, records: readonly OverlayAuditRecord[]) => void;
  private readonly maxPendingRecords: number;
  private readonly maxConcurrentWrites: number;
  private readonly onDrop: (dropped: number, totalDropped: number) => void;
  private buffer: OverlayAuditRecord[] = [];
  // Batches cut from the buffer, waiting for a write slot.
  private waiting: OverlayAuditRecord[][] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private held = 0;
  private droppedTotal = 0;
  private closed = false;

  constructor(options: BatchingAuditSinkOptions) {
    this.target = options.target;
    this.maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 1000);
    this.onError =
      options.onError ??
      ((error, records) => console.error(`overlay audit: ${records.length} records not written`, error));
    this.maxPendingRecords = Math.max(1, options.maxPendingRecords ?? 10_000);
    this.maxConcurrentWrites = Math.max(1, options.maxConcurrentWrites ?? 2);
    this.onDrop =
      options.onDrop ??
      ((dropped, total) =>
        console.warn(`overlay audit: ${dropped} records dropped at the cap (${total} in total)`));
  }

  /** Records buffered and not yet handed to the target. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Records held in all: buffered, waiting for a write slot or being written. */
  get queued(): number {
    return this.held;
  }

  /** Records dropped because `maxPendingRecords` were already held. */
  get dropped(): number {
    return this.droppedTotal;
  }

  write(records: readonly OverlayAuditRecord[]): void {
    if (this.closed) throw new Error('BatchingAuditSink is closed');
    const room = Math.max(0, this.maxPendingRecords - this.held);
    const taken = Math.min(room, records.length);
    for (let i = 0; i < taken; i++) this.buffer.push(records[i]);
    this.held += taken;
    if (taken < records.length) {
      this.droppedTotal += records.length - taken;
      this.onDrop(records.length - taken, this.droppedTotal);
    }
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
    const batches = [...this.waiting, ...this.takeBatches()];
    this.waiting = [];
    const others = [...this.inFlight];
    let failure: unknown;
    for (const batch of batches) {
      try {
        await this.target.write(batch);
      } catch (error) {
        failure ??= error;
        this.onError(error, batch);
      } finally {
        this.held -= batch.length;
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
    this.waiting.push(...this.takeBatches());
    this.pump();
  }

  private pump(): void {
    while (this.inFlight.size < this.maxConcurrentWrites && this.waiting.length > 0) {
      const batch = this.waiting.shift()!;
      const write = (async () => {
        try {
          await this.target.write(batch);
        } catch (error) {
          this.onError(error, batch);
        } finally {
          this.held -= batch.length;
        }
      })();
      this.inFlight.add(write);
      void write.finally(() => {
        this.inFlight.delete(write);
        this.pump();
      });
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
