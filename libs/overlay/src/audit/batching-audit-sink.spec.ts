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
});
