import type { OverlayAuditRecord, OverlayAuditSink } from '../contracts/overlay-audit-sink.js';
import { BatchingAuditSink } from './batching-audit-sink.js';
import { InMemoryAuditSink } from './in-memory-audit-sink.js';

const record = (n: number): OverlayAuditRecord => ({
  overlayId: `o${n}`,
  version: 1,
  keyId: 'k',
  tenantId: 'acme',
  capability: 'c',
  context: {},
  appliedAt: new Date(0),
});

describe('BatchingAuditSink', () => {
  afterEach(() => jest.useRealTimers());

  it('flushes by size in batches of maxBatchSize', async () => {
    const target = new InMemoryAuditSink();
    const sink = new BatchingAuditSink({ target, maxBatchSize: 3, flushIntervalMs: 60_000 });
    sink.write([record(1), record(2)]);
    expect(target.writes).toBe(0);
    expect(sink.pending).toBe(2);
    sink.write([record(3), record(4), record(5), record(6), record(7)]);
    await new Promise((r) => setImmediate(r));
    expect(target.writes).toBe(3);
    expect(target.records.map((r) => r.overlayId)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7']);
    await sink.close();
  });

  it('flushes by interval', async () => {
    jest.useFakeTimers();
    const target = new InMemoryAuditSink();
    const sink = new BatchingAuditSink({ target, maxBatchSize: 100, flushIntervalMs: 500 });
    sink.write([record(1)]);
    sink.write([record(2)]);
    jest.advanceTimersByTime(499);
    expect(target.writes).toBe(0);
    jest.advanceTimersByTime(1);
    await Promise.resolve();
    expect(target.writes).toBe(1);
    expect(target.records).toHaveLength(2);
    await sink.close();
  });

  it('flush() writes what is buffered; close() flushes, closes the target and refuses more', async () => {
    const closed: string[] = [];
    const target = new InMemoryAuditSink();
    target.close = async () => void closed.push('target');
    const sink = new BatchingAuditSink({ target, maxBatchSize: 10, flushIntervalMs: 60_000 });
    sink.write([record(1)]);
    await sink.flush();
    expect(target.records).toHaveLength(1);
    sink.write([record(2)]);
    await sink.close();
    expect(target.records).toHaveLength(2);
    expect(closed).toEqual(['target']);
    expect(() => sink.write([record(3)])).toThrow(/closed/);
  });

  it('reports failed background batches with their records and rejects a failing flush()', async () => {
    const failures: Array<[string, number]> = [];
    let fail = true;
    const target: OverlayAuditSink = {
      write: async () => {
        if (fail) throw new Error('db down');
      },
    };
    const sink = new BatchingAuditSink({
      target,
      maxBatchSize: 2,
      flushIntervalMs: 60_000,
      onError: (error, records) => failures.push([(error as Error).message, records.length]),
    });
    sink.write([record(1), record(2)]);
    await new Promise((r) => setImmediate(r));
    expect(failures).toEqual([['db down', 2]]);
    sink.write([record(3)]);
    await expect(sink.flush()).rejects.toThrow('db down');
    fail = false;
    sink.write([record(4)]);
    await expect(sink.flush()).resolves.toBeUndefined();
  });

  it('holds at most maxPendingRecords while the target hangs, dropping and counting the rest', async () => {
    const started: number[] = [];
    const release: Array<() => void> = [];
    // A database that accepts the statement and never answers (until released).
    const target: OverlayAuditSink = {
      write: (records) => {
        started.push(records.length);
        return new Promise<void>((resolve) => release.push(resolve));
      },
    };
    const drops: Array<[number, number]> = [];
    const sink = new BatchingAuditSink({
      target,
      maxBatchSize: 2,
      flushIntervalMs: 60_000,
      maxPendingRecords: 10,
      maxConcurrentWrites: 1,
      onDrop: (dropped, total) => drops.push([dropped, total]),
    });
    for (let i = 0; i < 25; i++) sink.write([record(i)]);
    sink.write([record(100), record(101), record(102)]);
    await new Promise((r) => setImmediate(r));
    // One write at a time, whatever arrives; everything beyond 10 records was dropped, not queued.
    expect(started).toEqual([2]);
    expect(sink.queued).toBe(10);
    expect(sink.dropped).toBe(18);
    expect(drops).toHaveLength(16);
    expect(drops.at(-1)).toEqual([3, 18]);

    // The target answers: room frees as batches complete, and new records are taken again.
    release.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([2, 2]);
    expect(sink.queued).toBe(8);
    sink.write([record(200), record(201)]);
    expect(sink.queued).toBe(10);
    expect(sink.dropped).toBe(18);
    const flushed = sink.flush();
    // flush() writes what waits one batch after another; release each as it starts.
    while (release.length > 0 || sink.queued > 0) {
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await flushed;
    expect(sink.queued).toBe(0);
    expect(started.reduce((a, b) => a + b, 0)).toBe(12);
  });
});
