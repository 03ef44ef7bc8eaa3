import 'fake-indexeddb/auto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { backoffDelay, parseRetryAfter } from './backoff.policy';
import { BoundedQueue } from './bounded.queue';
import { FileStore } from './file.store';
import { IndexedDbStore } from './indexed-db.store';
import { LocalStorageStore } from './local-storage.store';
import { MemoryStore } from './memory.store';
import { BEACON_LIMIT, Tracker } from './tracker';
import type { DroppedSignal, TrackedSignal } from './tracker.types';

const sig = (n: number, pad = ''): TrackedSignal => ({
  schemaId: 's',
  signalKey: `k${n}`,
  timestamp: '2026-01-01T00:00:00Z',
  attributes: { n, pad },
});

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

function fakeFetch(replies: Array<Reply | Error | ((signals: TrackedSignal[]) => Reply)>) {
  const calls: TrackedSignal[][] = [];
  const fn = (async (_url: string, init: RequestInit) => {
    const signals = (JSON.parse(init.body as string) as { signals: TrackedSignal[] }).signals;
    calls.push(signals);
    let r = replies.shift() ?? ((s: TrackedSignal[]) => ok(s));
    if (r instanceof Error) throw r;
    if (typeof r === 'function') r = r(signals);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: r.headers,
    });
  }) as unknown as typeof fetch;
  return { fn, calls };
}
const ok = (s: TrackedSignal[]): Reply => ({
  status: 200,
  body: { results: s.map((_, index) => ({ index, status: 'accepted' })) },
});

describe('backoff', () => {
  it('full jitter stays within the capped exponential window', () => {
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(99);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 1000 }, () => 0.5)).toBe(400);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(999);
    expect(backoffDelay(5, { baseMs: 100, maxMs: 1000 }, () => 0)).toBe(0);
  });
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('BoundedQueue', () => {
  it('drops the oldest first when over count and counts them', () => {
    const q = new BoundedQueue({ maxCount: 2, maxBytes: 1e6 });
    q.push(sig(1));
    q.push(sig(2));
    expect(q.push(sig(3)).map((s) => s.signalKey)).toEqual(['k1']);
    expect(q.all().map((s) => s.signalKey)).toEqual(['k2', 'k3']);
    expect(q.dropped).toBe(1);
  });
  it('drops the oldest when over bytes', () => {
    const one = JSON.stringify(sig(1, 'x'.repeat(100))).length;
    const q = new BoundedQueue({ maxCount: 100, maxBytes: one * 2 + 10 });
    for (let i = 1; i <= 4; i++) q.push(sig(i, 'x'.repeat(100)));
    expect(q.all().map((s) => s.signalKey)).toEqual(['k3', 'k4']);
    expect(q.dropped).toBe(2);
  });
});

describe('stores', () => {
  it('IndexedDB store round-trips the queue (fake-indexeddb)', async () => {
    const a = new IndexedDbStore(indexedDB, 'spec-db');
    await a.save([sig(1), sig(2)]);
    const b = new IndexedDbStore(indexedDB, 'spec-db');
    expect((await b.load()).map((s) => s.signalKey)).toEqual(['k1', 'k2']);
  });
  it('localStorage store round-trips and survives a corrupt value', async () => {
    const map = new Map<string, string>();
    const storage = {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
    } as Storage;
    await new LocalStorageStore(storage).save([sig(1)]);
    expect(await new LocalStorageStore(storage).load()).toEqual([sig(1)]);
    map.set('lssm.tracker.queue', '{not json');
    expect(await new LocalStorageStore(storage).load()).toEqual([]);
  });
});

describe('FileStore (Node)', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'tracker-spec-'));

  it('round-trips the queue and reads a missing file as empty', async () => {
    const path = join(dir(), 'queue.json');
    expect(await new FileStore(path).load()).toEqual([]);
    await new FileStore(path).save([sig(1), sig(2)]);
    expect((await new FileStore(path).load()).map((s) => s.signalKey)).toEqual(['k1', 'k2']);
  });

  it('coalesces saves: the last queue wins, no temporary file is left behind', async () => {
    const d = dir();
    const store = new FileStore(join(d, 'queue.json'));
    const saves = [1, 2, 3, 4, 5].map((n) => store.save([sig(n)]));
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(join(d, 'queue.json'), 'utf8'))[0].signalKey).toBe('k5');
    expect(readdirSync(d)).toEqual(['queue.json']);
  });

  it('a tracker started on a saved queue keeps it when it tracks before the load finished', async () => {
    const path = join(dir(), 'queue.json');
    writeFileSync(path, JSON.stringify([sig(1), sig(2)]));
    const t = new Tracker({
      host: 'http://x',
      key: 'k',
      store: new FileStore(path),
      flushIntervalMs: 60_000,
    });
    const key = t.track('s', { n: 3 });
    await t.persisted();
    const saved = (await new FileStore(path).load()).map((s) => s.signalKey);
    expect(saved.sort()).toEqual(['k1', 'k2', key].sort());
  });
});

describe('Tracker', () => {
  const base = { host: 'http://svc', key: 'k', flushIntervalMs: 60_000, backoffBaseMs: 1, backoffMaxMs: 2 };

  it('batches by size with a signalKey, userId and sessionId per event', async () => {
    const f = fakeFetch([]);
    const t = new Tracker({ ...base, batchSize: 2, fetch: f.fn, sessionId: 'sess' });
    t.identify('u1');
    t.track('a', { x: 1 });
    expect(f.calls).toHaveLength(0);
    t.track('b', { x: 2 }, { schemaVersion: 3 });
    await t.flush();
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0]).toMatchObject([
      { schemaId: 'a', userId: 'u1', sessionId: 'sess' },
      { schemaId: 'b', schemaVersion: 3 },
    ]);
    expect(new Set(f.calls[0].map((s) => s.signalKey)).size).toBe(2);
    t.reset();
    t.track('c', {});
    await t.shutdown();
    expect(f.calls[1][0].userId).toBeUndefined();
    expect(f.calls[1][0].sessionId).not.toBe('sess');
  });

  it('flushes on the interval', async () => {
    const f = fakeFetch([]);
    const t = new Tracker({ ...base, flushIntervalMs: 5, fetch: f.fn });
    t.track('a', {});
    await new Promise((r) => setTimeout(r, 30));
    expect(f.calls).toHaveLength(1);
    expect(t.pending).toBe(0);
  });

  it('retries 503 and network errors with the same signalKeys, honoring Retry-After', async () => {
    const f = fakeFetch([{ status: 503, headers: { 'retry-after': '0.02' } }, new Error('offline')]);
    const t = new Tracker({ ...base, fetch: f.fn });
    t.track('a', {});
    const started = Date.now();
    await t.flush();
    expect(t.pending).toBe(1);
    while (f.calls.length < 3) await new Promise((r) => setTimeout(r, 5));
    await t.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
    expect(t.pending).toBe(0);
    expect(new Set(f.calls.map((c) => c[0].signalKey)).size).toBe(1);
  });

  it('drops a rejected item through onDropped and never retries it; keeps accepted/duplicate out', async () => {
    const dropped: DroppedSignal[] = [];
    const f = fakeFetch([
      {
        status: 200,
        body: {
          results: [
            { index: 0, status: 'accepted' },
            { index: 1, status: 'rejected', errors: [{ code: 'required' }] },
            { index: 2, status: 'duplicate' },
          ],
        },
      },
    ]);
    const t = new Tracker({ ...base, fetch: f.fn, onDropped: (d) => dropped.push(d) });
    t.track('a', {});
    t.track('bad', {});
    t.track('c', {});
    await t.flush();
    expect(t.pending).toBe(0);
    expect(dropped).toMatchObject([
      { reason: 'rejected', signal: { schemaId: 'bad' }, errors: [{ code: 'required' }] },
    ]);
    await t.flush();
    expect(f.calls).toHaveLength(1);
  });

  it('reports overflow drops and exposes the counter', () => {
    const dropped: DroppedSignal[] = [];
    const t = new Tracker({
      ...base,
      maxQueueCount: 2,
      fetch: fakeFetch([]).fn,
      onDropped: (d) => dropped.push(d),
    });
    for (let i = 0; i < 5; i++) t.track('a', { i });
    expect(t.droppedCount).toBe(3);
    expect(dropped.map((d) => d.signal.attributes.i)).toEqual([0, 1, 2]);
  });

  it('sends what a previous page or process left in the store without waiting for a new event', async () => {
    const store = new MemoryStore();
    await store.save([sig(1), sig(2)]);
    const { fn, calls } = fakeFetch([]);
    const t = new Tracker({ host: 'http://x', key: 'k', store, fetch: fn, flushIntervalMs: 10 });
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.map((c) => c.map((s) => s.signalKey))).toEqual([['k1', 'k2']]);
    expect(t.pending).toBe(0);
    expect(await store.load()).toEqual([]);
  });

  it('keeps unacknowledged events in the store until the server acknowledges them', async () => {
    const store = new MemoryStore();
    const f1 = fakeFetch(Array.from({ length: 100 }, () => new Error('offline')));
    const t1 = new Tracker({ ...base, fetch: f1.fn, store });
    t1.track('a', {});
    await t1.shutdown();
    expect((await store.load()).length).toBe(1);
    const f2 = fakeFetch([]);
    const t2 = new Tracker({ ...base, fetch: f2.fn, store });
    await t2.flush();
    expect(f2.calls[0][0].signalKey).toBe(f1.calls[0][0].signalKey);
    expect(await store.load()).toEqual([]);
  });

  it('beacons text/plain chunks under 64 KiB with the key in the query', () => {
    const beacons: Array<{ url: string; size: number; type: string }> = [];
    const nav = {
      sendBeacon: (url: string, data: Blob) => {
        beacons.push({ url, size: data.size, type: data.type });
        return true;
      },
    };
    const t = new Tracker({ ...base, key: 'pk_1', batchSize: 1000, fetch: fakeFetch([]).fn });
    for (let i = 0; i < 30; i++) t.track('a', { pad: 'x'.repeat(5000) });
    expect(t.beacon(nav)).toBe(30);
    expect(beacons.length).toBeGreaterThan(1);
    for (const b of beacons) {
      expect(b.size).toBeLessThanOrEqual(BEACON_LIMIT);
      expect(b.type).toBe('text/plain');
      expect(b.url).toBe('http://svc/api/ai-behavior/signals/batch?key=pk_1');
    }
  });
});

describe('bundle size', () => {
  it('the browser core is at most 8 kB min+gzip', () => {
    const out = buildSync({
      entryPoints: [`${__dirname}/index.ts`],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
    });
    const gz = gzipSync(out.outputFiles[0].contents).length;
    // Measured 2026-12-04: see docs/client.md; a jump here means something heavy slipped into the core.
    expect(gz).toBeLessThanOrEqual(8 * 1024);
    console.log(`tracker core: ${out.outputFiles[0].contents.length} B min, ${gz} B min+gzip`);
  });
});
