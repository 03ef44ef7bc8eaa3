import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const schema = (extraAttributes: string) => `
- id: shop.order
  domain: shop
  version: 1
  summary: An order was placed
  retentionDays: 30
  pii: none
  additionalAttributes: reject
  attributes:
    - { name: orderId, type: string, required: true }
${extraAttributes}
`;
const STRICT = schema('');
// The fix: orders may carry a coupon code (a string).
const FIXED = schema('    - { name: coupon, type: string, maxLength: 32 }');

const order = (
  orderId: string,
  extra: Record<string, unknown> = {},
  attributes: Record<string, unknown> = {},
) => ({
  schemaId: 'shop.order',
  userId: 'u-1',
  attributes: { orderId, coupon: 'SAVE10', ...attributes },
  ...extra,
});

describe('failed signals: list and replay (e2e)', () => {
  let dir: string;
  let database: TestDatabase;
  let t: TestApp;
  let db: Client;
  let keys: { ingest: string; read: string; globexIngest: string; globexRead: string };
  // Fixtures are dated 2025: accept timestamps that old.
  const overrides = () => ({
    ai: { behavior: { schemas: { starter: false, path: [dir] }, ingestion: { maxAgeDays: 3650 } } },
  });

  const failedCount = async (tenant: string) =>
    Number(
      (await db.query('select count(*) n from failed_signals where tenant_id = $1', [tenant])).rows[0].n,
    );
  const listFailed = (query = '', key = keys.read) =>
    t.request('GET', `/api/ai-behavior/failed-signals${query ? `?${query}` : ''}`, { key });
  const replay = (body?: unknown, key = keys.ingest) =>
    t.request('POST', '/api/ai-behavior/failed-signals/replay', { key, body });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'failed-signals-'));
    writeFileSync(join(dir, 'shop.yaml'), STRICT);
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    t = await startTestApp({ database, overrides: overrides() });
    keys = {
      ingest: await createTenantWithKey(t, 'acme', ['ingest']),
      read: await createTenantWithKey(t, 'acme', ['read']),
      globexIngest: await createTenantWithKey(t, 'globex', ['ingest']),
      globexRead: await createTenantWithKey(t, 'globex', ['read']),
    };
    const batch = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: keys.ingest,
      body: {
        signals: [
          order('o-1', { signalKey: 'k-1', timestamp: '2025-05-01T10:00:00Z' }),
          order('o-2'), // no key, no timestamp
          order('o-3', { signalKey: 'k-3' }, { coupon: 42 }), // wrong type: still fails after the fix
          order('o-4', { signalKey: 'k-dup' }),
          'not an object',
          { schemaId: 'nope.unknown', userId: 'u-1', attributes: {} },
        ],
      },
    });
    expect(batch.body.rejected).toBe(6);
    // One at a time, so failed_at differs and the order is deterministic.
    for (let i = 0; i < 3; i++) {
      const res = await t.request('POST', '/api/ai-behavior/signals', {
        key: keys.ingest,
        body: order(`late-${i}`, { signalKey: `late-${i}` }),
      });
      expect(res.status).toBe(422);
    }
    const globex = await t.request('POST', '/api/ai-behavior/signals', {
      key: keys.globexIngest,
      body: order('g-1', { signalKey: 'g-1' }),
    });
    expect(globex.status).toBe(422);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('list', () => {
    it('lists the tenant’s failed signals newest first with payload and reasons', async () => {
      const res = await listFailed('limit=100');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(9);
      expect(res.body.nextCursor).toBeNull();
      const times = res.body.items.map((f: any) => f.failedAt);
      expect([...times].sort().reverse()).toEqual(times);
      const latest = res.body.items[0];
      expect(latest).toMatchObject({
        schemaId: 'shop.order',
        schemaVersion: null,
        signalKey: 'late-2',
        payload: order('late-2', { signalKey: 'late-2' }),
        replayedAt: null,
        replayedSignalId: null,
      });
      expect(latest.reasons).toEqual([
        expect.objectContaining({ path: 'attributes.coupon', code: 'additional_property' }),
      ]);
      expect(res.body.items.some((f: any) => f.payload === 'not an object')).toBe(true);
    });

    it('pages with cursors without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await listFailed(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((f: any) => f.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      const all = (await listFailed('limit=100')).body.items.map((f: any) => f.id);
      expect(seen).toEqual(all);
    });

    it('filters by schemaId and time range', async () => {
      const unknown = await listFailed('schemaId=nope.unknown');
      expect(unknown.body.items.map((f: any) => f.payload.schemaId)).toEqual(['nope.unknown']);
      const all = (await listFailed('limit=100')).body.items;
      const newest = all[0].failedAt;
      const fromNewest = await listFailed(`start=${newest}`);
      expect(fromNewest.body.items.map((f: any) => f.id)).toEqual([all[0].id]);
      const beforeNewest = await listFailed(`end=${newest}&limit=100`);
      expect(beforeNewest.body.items).toHaveLength(8);
      expect((await listFailed('start=2000-01-01&end=2000-01-02')).body.items).toEqual([]);
    });

    it('400 for bad parameters', async () => {
      for (const [query, path] of [
        ['limit=0', 'limit'],
        ['start=soon', 'start'],
        ['cursor=zzz', 'cursor'],
        ['replayed=maybe', 'replayed'],
        ['tenantId=globex', 'tenantId'],
      ]) {
        const res = await listFailed(query);
        expect(res.status).toBe(400);
        expect(res.body.details.map((d: any) => d.path)).toContain(path);
      }
    });

    it('never shows another tenant’s failed signals', async () => {
      const globex = await listFailed('limit=100', keys.globexRead);
      expect(globex.body.items).toHaveLength(1);
      expect(globex.body.items[0].signalKey).toBe('g-1');
      const acme = (await listFailed('limit=100')).body.items;
      expect(acme.length).toBeGreaterThan(0);
      expect(acme.some((f: any) => f.signalKey === 'g-1')).toBe(false);
    });

    it('401 without a key, 403 without read (list) or ingest (replay)', async () => {
      expect((await t.request('GET', '/api/ai-behavior/failed-signals')).status).toBe(401);
      expect((await t.request('POST', '/api/ai-behavior/failed-signals/replay')).status).toBe(401);
      expect((await listFailed('', keys.ingest)).status).toBe(403);
      expect((await replay({}, keys.read)).status).toBe(403);
    });
  });

  describe('replay', () => {
    it('before the fix: everything still fails, nothing stored, no new failed rows', async () => {
      const before = await failedCount('acme');
      const res = await replay({ schemaId: 'shop.order' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ replayed: 0, duplicates: 0, stillFailing: 7 });
      expect(await failedCount('acme')).toBe(before);
      expect(Number((await db.query('select count(*) n from behavior_signals')).rows[0].n)).toBe(0);
    });

    it('400 for a bad replay body', async () => {
      for (const body of [{ limit: 0 }, { ids: ['not-a-uuid'] }, { tenantId: 'globex' }, { start: 'soon' }]) {
        const res = await replay(body);
        expect(res.status).toBe(400);
      }
    });

    describe('after a schema fix (restart with the fixed schema file)', () => {
      let failedBefore: number;
      let rowsByKey: Map<string | null, any>;
      let first: any;

      beforeAll(async () => {
        await t.close();
        writeFileSync(join(dir, 'shop.yaml'), FIXED);
        t = await startTestApp({ database, overrides: overrides() });
        // Stored meanwhile under the key of a failed item: its replay is a duplicate.
        const valid = await t.request('POST', '/api/ai-behavior/signals', {
          key: keys.ingest,
          body: order('o-4', { signalKey: 'k-dup' }),
        });
        expect(valid.status).toBe(201);
        failedBefore = await failedCount('acme');
        const all = (await listFailed('limit=100')).body.items;
        rowsByKey = new Map(all.map((f: any) => [f.signalKey ?? f.payload?.attributes?.orderId ?? null, f]));
        first = await replay();
      });

      it('ingests the items that pass now and reports the others', async () => {
        expect(first.status).toBe(200);
        expect(first.body).toMatchObject({ replayed: 5, duplicates: 1, stillFailing: 3 });
        const byFailedId = new Map(first.body.results.map((r: any) => [r.failedSignalId, r]));
        expect(byFailedId.get(rowsByKey.get('k-1').id)).toMatchObject({ status: 'replayed' });
        expect(byFailedId.get(rowsByKey.get('k-3').id)).toMatchObject({
          status: 'still_failing',
          errors: [expect.objectContaining({ path: 'attributes.coupon', code: 'type' })],
        });
        expect(byFailedId.get(rowsByKey.get('k-dup').id)).toMatchObject({ status: 'duplicate' });
        // Oldest first.
        expect(first.body.results.at(-1).failedSignalId).toBe(rowsByKey.get('late-2').id);
      });

      it('stores replayed signals with the same enrichment, keeping key and time', async () => {
        const result = first.body.results.find((r: any) => r.failedSignalId === rowsByKey.get('k-1').id);
        const signal = await t.request('GET', `/api/ai-behavior/signals/${result.signalId}`, {
          key: keys.read,
        });
        expect(signal.status).toBe(200);
        expect(signal.body).toMatchObject({
          userId: 'u-1',
          schemaId: 'shop.order',
          schemaVersion: 1,
          signalKey: 'k-1',
          timestamp: '2025-05-01T10:00:00.000Z',
          attributes: { orderId: 'o-1', coupon: 'SAVE10' },
        });
        expect(signal.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      });

      it('a key-less item takes its original arrival time and a key derived from its row', async () => {
        const row = rowsByKey.get('o-2');
        const result = first.body.results.find((r: any) => r.failedSignalId === row.id);
        const signal = await t.request('GET', `/api/ai-behavior/signals/${result.signalId}`, {
          key: keys.read,
        });
        expect(signal.body.timestamp).toBe(row.failedAt);
        expect(signal.body.signalKey).toBe(`replay:${row.id}`);
      });

      it('a duplicate points at the signal already stored under its key', async () => {
        const { rows } = await db.query(
          "select signal_id from behavior_signal_keys where signal_key = 'k-dup'",
        );
        const result = first.body.results.find((r: any) => r.failedSignalId === rowsByKey.get('k-dup').id);
        expect(result.signalId).toBe(rows[0].signal_id);
      });

      it('marks replayed rows and keeps still-failing ones (with current reasons) without adding rows', async () => {
        expect(await failedCount('acme')).toBe(failedBefore);
        const replayedRows = await listFailed('replayed=true&limit=100');
        expect(replayedRows.body.items).toHaveLength(6);
        for (const f of replayedRows.body.items) {
          expect(f.replayedAt).not.toBeNull();
          expect(f.replayedSignalId).toMatch(/^[0-9a-f-]{36}$/);
        }
        const pending = (await listFailed('replayed=false&limit=100')).body.items;
        expect(pending).toHaveLength(3);
        const k3 = pending.find((f: any) => f.signalKey === 'k-3');
        expect(k3.reasons).toEqual([expect.objectContaining({ path: 'attributes.coupon', code: 'type' })]);
      });

      it('is idempotent: a replayed row is never replayed again', async () => {
        const signalsBefore = Number((await db.query('select count(*) n from behavior_signals')).rows[0].n);
        const again = await replay();
        expect(again.body).toMatchObject({ replayed: 0, duplicates: 0, stillFailing: 3 });
        expect(again.body.results.length).toBeGreaterThan(0);
        expect(again.body.results.every((r: any) => r.status === 'still_failing')).toBe(true);
        const byIds = await replay({ ids: [rowsByKey.get('k-1').id, rowsByKey.get('o-2').id] });
        expect(byIds.body).toEqual({ replayed: 0, duplicates: 0, stillFailing: 0, results: [] });
        expect(Number((await db.query('select count(*) n from behavior_signals')).rows[0].n)).toBe(
          signalsBefore,
        );
        expect(await failedCount('acme')).toBe(failedBefore);
      });

      it('concurrent replays never replay a row twice', async () => {
        const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
          key: keys.ingest,
          body: { signals: Array.from({ length: 20 }, (_, i) => order(`c-${i}`, {}, { coupon: 1 })) },
        });
        expect(res.body.rejected).toBe(20);
        // Make them replayable by fixing the payload in place (as an operator could).
        await db.query(
          `update failed_signals set payload = jsonb_set(payload, '{attributes,coupon}', '"OK"')
            where tenant_id = 'acme' and payload->'attributes'->>'orderId' like 'c-%'`,
        );
        const runs = await Promise.all(Array.from({ length: 4 }, () => replay({ limit: 500 })));
        expect(runs.reduce((n, r) => n + r.body.replayed, 0)).toBe(20);
        const { rows } = await db.query(
          "select count(*) n from behavior_signals where attributes->>'orderId' like 'c-%'",
        );
        expect(Number(rows[0].n)).toBe(20);
      });

      it('only touches the caller’s tenant', async () => {
        const globexRow = (await listFailed('', keys.globexRead)).body.items[0];
        expect(globexRow.replayedAt).toBeNull();
        const acmeAttempt = await replay({ ids: [globexRow.id] });
        expect(acmeAttempt.body.results).toEqual([]);
        const globex = await replay({}, keys.globexIngest);
        expect(globex.body).toMatchObject({ replayed: 1, duplicates: 0, stillFailing: 0 });
        const signal = await t.request('GET', `/api/ai-behavior/signals/${globex.body.results[0].signalId}`, {
          key: keys.read,
        });
        expect(signal.status).toBe(404);
      });
    });
  });
});
