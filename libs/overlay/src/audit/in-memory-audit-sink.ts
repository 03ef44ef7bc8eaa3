import type { OverlayAuditRecord, OverlayAuditSink } from '../contracts/overlay-audit-sink.js';

/** Keeps records in memory: for tests, demos and the browser. */
export class InMemoryAuditSink implements OverlayAuditSink {
  readonly records: OverlayAuditRecord[] = [];
  /** Number of write() calls, to observe batching. */
  writes = 0;

  write(records: readonly OverlayAuditRecord[]): void {
    this.writes++;
    this.records.push(...records);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
