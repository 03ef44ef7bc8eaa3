import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attrFilters,
  createBehaviorClient,
  type BehaviorSignal,
  type operations,
  type SignalEnvelope,
} from '@lssm/client';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

// Every call goes through the generated client (@lssm/client), so a change to these endpoints
// or their DTOs that the client was not regenerated for fails `npm run typecheck` here. Only
// inputs the client's types cannot express (a non-numeric limit, an unknown or repeated
// parameter, a percent-encoded name) go raw through t.request.

// Open schemas (additionalAttributes: allow) so one attribute can hold numbers,
// numeric-looking strings, text and booleans across signals.
const SCHEMAS = `
- id: test.event
  domain: test
  version: 1
  summary: A test event
  retentionDays: 30
  pii: none
  additionalAttributes: allow
  attributes:
    - { name: label, type: string }
- id: test.other
  domain: test
  version: 1
  summary: Another test event
  retentionDays: 30
  pii: none
  additionalAttributes: allow
  attributes:
    - { name: label, type: string }
`;

const BASE = Date.parse('2025-06-30T12:00:00.000Z');
const HOUR = 3_600_000;

interface Seeded {
  timestamp: string;
  signalKey: string;
}

type ListQuery = NonNullable<operations['listUserSignals']['parameters']['query']>;
type Filters = NonNullable<ListQuery['filters']>;

describe('signal queries (e2e)', () => {
  let t: TestApp;
  let dir: string;
  let acmeIngest: string;
  let acmeRead: string;
  let globexIngest: string;
  let globexRead: string;
  const seeded: Seeded[] = [];

  const client = (apiKey?: string) => createBehaviorClient({ baseUrl: t.baseUrl, apiKey });
  const ingest = async (key: string, signals: SignalEnvelope[]) => {
    const { data, response } = await client(key).POST('/api/ai-behavior/signals/batch', {
      body: { signals },
    });
    expect(response.status).toBe(200);
    expect(data!.rejected).toBe(0);
    return data!.results.map((r) => r.id!);
  };
  const list = (query: ListQuery = {}, key = acmeRead, userId = 'u-1') =>
    client(key).GET('/api/ai-behavior/users/{userId}/signals', { params: { path: { userId }, query } });
  const getSignal = (id: string, key: string | undefined = acmeRead) =>
    client(key).GET('/api/ai-behavior/signals/{id}', { params: { path: { id } } });
  // Wire forms the typed client refuses to build.
  const rawList = (query: string) =>
    t.request('GET', `/api/ai-behavior/users/u-1/signals?${query}`, { key: acmeRead });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signals-query-'));
    writeFileSync(join(dir, 'test.yaml'), SCHEMAS);
    // The fixtures are dated mid-2025: accept timestamps that old.
    t = await startTestApp({
      overrides: {
        ai: { behavior: { schemas: { starter: false, path: [dir] }, ingestion: { maxAgeDays: 3650 } } },
      },
    });
    acmeIngest = await createTenantWithKey(t, 'acme', ['ingest']);
    acmeRead = await createTenantWithKey(t, 'acme', ['read']);
    globexIngest = await createTenantWithKey(t, 'globex', ['ingest']);
    globexRead = await createTenantWithKey(t, 'globex', ['read']);

    // 130 signals for u-1, one per hour back from BASE (crossing from June into
    // July's partition), the last 10 sharing one timestamp to exercise the id tie-break.
    const signals = Array.from({ length: 130 }, (_, i) => {
      const timestamp = new Date(BASE + Math.min(i, 120) * HOUR).toISOString();
      const signalKey = `s-${i}`;
      seeded.push({ timestamp, signalKey });
      return {
        schemaId: 'test.event',
        userId: 'u-1',
        signalKey,
        timestamp,
        attributes: { label: `l-${i % 3}`, seq: i },
      };
    });
    await ingest(acmeIngest, signals);
    await ingest(acmeIngest, [
      ...['x', 'y'].map((label, i) => ({
        schemaId: 'test.other',
        userId: 'u-1',
        timestamp: new Date(BASE - (i + 1) * HOUR).toISOString(),
        attributes: { label },
      })),
      { schemaId: 'test.other', userId: 'u-2', attributes: { label: 'for u-2' } },
    ]);
    // Another tenant: same user id, same schema, same keys.
    await ingest(
      globexIngest,
      Array.from({ length: 5 }, (_, i) => ({
        schemaId: 'test.event',
        userId: 'u-1',
        signalKey: `s-${i}`,
        timestamp: new Date(BASE + i * HOUR).toISOString(),
        attributes: { label: 'globex', seq: i },
      })),
    );
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pages through more than a page with cursors: newest first, no gaps, no repeats', async () => {
    const ids: string[] = [];
    const items: BehaviorSignal[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list({ schemaId: 'test.event', limit: 50, ...(cursor ? { cursor } : {}) });
      expect(res.response.status).toBe(200);
      pages++;
      items.push(...res.data!.items);
      ids.push(...res.data!.items.map((s) => s.id));
      cursor = res.data!.nextCursor;
    } while (cursor);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect(new Set(items.map((s) => s.signalKey))).toEqual(new Set(seeded.map((s) => s.signalKey)));
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      expect(a.timestamp >= b.timestamp).toBe(true);
      if (a.timestamp === b.timestamp) expect(a.id > b.id).toBe(true);
    }
    expect(items[0].timestamp).toBe(new Date(BASE + 120 * HOUR).toISOString());
  });

  it('pages end exactly: a last full page has nextCursor null', async () => {
    const first = await list({ schemaId: 'test.event', limit: 65 });
    const second = await list({ schemaId: 'test.event', limit: 65, cursor: first.data!.nextCursor! });
    expect(second.data!.items).toHaveLength(65);
    expect(second.data!.nextCursor).toBeNull();
  });

  it('returns the signal JSON shape, defaulting the page size to 50', async () => {
    const res = await list();
    expect(res.response.status).toBe(200);
    expect(res.data!.items).toHaveLength(50);
    expect(Object.keys(res.data!.items[0]).sort()).toEqual(
      [
        'attributes',
        'id',
        'ingestedAt',
        'schemaId',
        'schemaVersion',
        'sessionId',
        'signalKey',
        'source',
        'timestamp',
        'userId',
      ].sort(),
    );
    expect(res.data!.items[0]).toMatchObject({ userId: 'u-1', schemaId: 'test.event', schemaVersion: 1 });
  });

  it('filters by schemaId', async () => {
    const res = await list({ schemaId: 'test.other' });
    expect(res.data!.items.map((s) => s.attributes.label)).toEqual(['x', 'y']);
    expect(res.data!.nextCursor).toBeNull();
  });

  it('filters by time: start inclusive, end exclusive', async () => {
    const start = new Date(BASE + 10 * HOUR).toISOString();
    const end = new Date(BASE + 20 * HOUR).toISOString();
    const res = await list({ schemaId: 'test.event', start, end, limit: 500 });
    expect(res.data!.items.map((s) => s.attributes.seq)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    const day = await list({ start: '2025-06-30', end: '2025-06-30T12:00:00Z', limit: 500 });
    expect(day.data!.items.map((s) => s.attributes.label)).toEqual(['x', 'y']);
  });

  describe('attribute filters', () => {
    let ids: Record<string, string>;
    beforeAll(async () => {
      const values: Record<string, unknown> = {
        n5: 5,
        n12: 12,
        n12f: 12.5,
        nNeg: -3,
        s12: '12',
        sText: 'abc',
        bTrue: true,
        bFalse: false,
        obj: { nested: 1 },
        none: null,
      };
      const names = Object.keys(values);
      const got = await ingest(
        acmeIngest,
        names.map((name) => ({
          schemaId: 'test.other',
          userId: 'u-filters',
          attributes: { label: name, amount: values[name], flag: values[name] },
        })),
      );
      ids = Object.fromEntries(names.map((n, i) => [n, got[i]]));
    });
    const labels = async (filters: Filters) => {
      const res = await list({ filters }, acmeRead, 'u-filters');
      expect(res.response.status).toBe(200);
      return res.data!.items.map((s) => s.attributes.label as string).sort();
    };

    it('eq matches text, numbers numerically and booleans', async () => {
      expect(await labels(attrFilters({ label: 'sText' }))).toEqual(['sText']);
      expect(await labels(attrFilters({ amount: 'abc' }))).toEqual(['sText']);
      expect(await labels(attrFilters({ amount: 12 }))).toEqual(['n12', 's12']);
      expect(await labels(attrFilters({ amount: '12.0' }))).toEqual(['n12']);
      expect(await labels(attrFilters({ amount: 12.5 }))).toEqual(['n12f']);
      expect(await labels(attrFilters({ flag: true }))).toEqual(['bTrue']);
      expect(await labels(attrFilters({ flag: false }))).toEqual(['bFalse']);
      expect(await labels(attrFilters({ missing: 1 }))).toEqual([]);
    });

    it('gte/lte/gt/lt compare JSON numbers and skip every other value without failing', async () => {
      expect(await labels(attrFilters({ amount: { gte: 12 } }))).toEqual(['n12', 'n12f']);
      expect(await labels(attrFilters({ amount: { gt: 12 } }))).toEqual(['n12f']);
      expect(await labels(attrFilters({ amount: { lte: 5 } }))).toEqual(['n5', 'nNeg']);
      expect(await labels(attrFilters({ amount: { lt: 5 } }))).toEqual(['nNeg']);
      expect(await labels(attrFilters({ amount: { gte: -100 } }))).toEqual(['n12', 'n12f', 'n5', 'nNeg']);
      // The document's `filters` keys directly, with a number in exponent notation.
      expect(await labels({ 'attr.amount[gte]': '1e1', 'attr.amount[lte]': 12 })).toEqual(['n12']);
      expect(await labels(attrFilters({ label: { gte: 0 } }))).toEqual([]);
      expect(await labels(attrFilters({ flag: { lt: 10 }, label: 'n5' }))).toEqual(['n5']);
    });

    it('accepts the bracket operator percent-encoded too', async () => {
      const res = await t.request('GET', '/api/ai-behavior/users/u-filters/signals?attr.amount%5Bgt%5D=12', {
        key: acmeRead,
      });
      expect(res.body.items.map((s: any) => s.attributes.label)).toEqual(['n12f']);
    });

    it('combines attribute filters with each other (all must hold)', async () => {
      expect(await labels(attrFilters({ amount: { gte: 5 }, label: 'n12' }))).toEqual(['n12']);
      expect(ids.n12).toBeDefined();
    });

    it('treats hostile values as plain data', async () => {
      expect(await labels(attrFilters({ label: "x' or '1'='1" }))).toEqual([]);
      expect(await labels(attrFilters({ amount: '1; drop table behavior_signals; --' }))).toEqual([]);
      const res = await list({}, acmeRead, "u-1' or '1'='1");
      expect(res.response.status).toBe(200);
      expect(res.data!.items).toEqual([]);
    });
  });

  it.each<[string, ListQuery, string, string]>([
    ['start=yesterday', { start: 'yesterday' }, 'start', 'invalid_date'],
    ['end=2025-13-45', { end: '2025-13-45' }, 'end', 'invalid_date'],
    ['a start without zone', { start: '2025-06-01T00:00:00' }, 'start', 'invalid_date'],
    ['end before start', { start: '2025-07-01', end: '2025-06-01' }, 'end', 'invalid_range'],
    ['limit=0', { limit: 0 }, 'limit', 'invalid_integer'],
    ['limit=501', { limit: 501 }, 'limit', 'invalid_integer'],
    ['cursor=not-a-cursor', { cursor: 'not-a-cursor' }, 'cursor', 'invalid_cursor'],
    [
      'a cursor of the wrong shape',
      { cursor: Buffer.from('["x","y"]').toString('base64url') },
      'cursor',
      'invalid_cursor',
    ],
    [
      'an unknown operator',
      { filters: { 'attr.amount[between]': 1 } },
      'attr.amount[between]',
      'unknown_operator',
    ],
    ['a range on text', { filters: { 'attr.amount[gte]': 'abc' } }, 'attr.amount[gte]', 'not_a_number'],
    ['a range on NaN', { filters: { 'attr.amount[gte]': 'NaN' } }, 'attr.amount[gte]', 'not_a_number'],
    ['a bad attribute name', { filters: { 'attr.bad-name': 1 } }, 'attr.bad-name', 'invalid_attribute_name'],
    ['a quote in the name', { filters: { "attr.a'--": 1 } }, "attr.a'--", 'invalid_attribute_name'],
  ])('400 for %s', async (_name, query, path, code) => {
    const { response, error } = await list(query);
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ statusCode: 400, code: 'invalid_query' });
    expect(error!.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
  });

  it.each([
    ['limit=ten', 'limit', 'invalid_integer'],
    [`${encodeURIComponent("attr.a'--")}=1`, "attr.a'--", 'invalid_attribute_name'],
    ['userId=u-2', 'userId', 'unknown_parameter'],
    ['schemaId=a&schemaId=b', 'schemaId', 'repeated_parameter'],
  ])('400 for the raw query %s', async (query, path, code) => {
    const res = await rawList(query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_query' });
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
  });

  it('lists every bad parameter in one 400', async () => {
    const res = await list({ limit: 0, start: 'nope', filters: { 'attr.x[zz]': 1 } });
    expect(res.response.status).toBe(400);
    expect(res.error!.details!.map((d) => d.path).sort()).toEqual(['attr.x[zz]', 'limit', 'start']);
  });

  it('GET /signals/{id} returns one signal of the tenant; another tenant’s or a missing one is 404', async () => {
    const page = await list({ limit: 1 });
    const signal = page.data!.items[0];
    const res = await getSignal(signal.id);
    expect(res.response.status).toBe(200);
    expect(res.data).toEqual(signal);

    const other = await getSignal(signal.id, globexRead);
    const missing = await getSignal('01890a5d-ac96-774b-bcce-b302099a8057');
    const malformed = await getSignal('not-a-uuid');
    for (const r of [other, missing, malformed]) {
      expect(r.response.status).toBe(404);
      expect(r.error).toEqual(other.error);
    }
    expect(other.error!.code).toBe('signal_not_found');
  });

  it('GET /signals/{id} does not clash with POST /signals/batch', async () => {
    expect((await getSignal('batch')).response.status).toBe(404);
    const res = await client(acmeIngest).POST('/api/ai-behavior/signals/batch', {
      body: { signals: [{ schemaId: 'test.event', userId: 'u-9', attributes: {} }] },
    });
    expect(res.response.status).toBe(200);
    expect(res.data!.results[0]).toMatchObject({ index: 0, status: 'accepted' });
  });

  it('never shows another tenant’s signals, whatever the query or cursor', async () => {
    const globex = await list({ limit: 500 }, globexRead);
    expect(globex.data!.items).toHaveLength(5);
    expect(globex.data!.items.every((s) => s.attributes.label === 'globex')).toBe(true);

    const acmePage = await list({ limit: 2 });
    const withAcmeCursor = await list({ limit: 500, cursor: acmePage.data!.nextCursor! }, globexRead);
    expect(withAcmeCursor.data!.items.length).toBeGreaterThan(0);
    expect(withAcmeCursor.data!.items.every((s) => s.attributes.label === 'globex')).toBe(true);

    const acme = await list({ schemaId: 'test.event', limit: 500 });
    expect(acme.data!.items.length).toBeGreaterThan(0);
    expect(acme.data!.items.some((s) => s.attributes.label === 'globex')).toBe(false);
    expect((await list({ filters: attrFilters({ label: 'globex' }) })).data!.items).toEqual([]);
  });

  it('401 without a key and 403 without the read scope, on both endpoints', async () => {
    const id = '01890a5d-ac96-774b-bcce-b302099a8057';
    for (const key of [undefined, acmeIngest]) {
      const calls = [
        await client(key).GET('/api/ai-behavior/users/{userId}/signals', {
          params: { path: { userId: 'u-1' } },
        }),
        await client(key).GET('/api/ai-behavior/signals/{id}', { params: { path: { id } } }),
      ];
      for (const { response, error } of calls) {
        expect(response.status).toBe(key ? 403 : 401);
        if (key) expect(error!.code).toBe('insufficient_scope');
      }
    }
  });

  it('documents the read operations in OpenAPI', async () => {
    const doc = (await t.request('GET', '/docs-json')).body;
    const listOp = doc.paths['/api/ai-behavior/users/{userId}/signals'].get;
    expect(listOp.operationId).toBe('listUserSignals');
    expect(listOp.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/BehaviorSignalPageDto',
    );
    expect(doc.paths['/api/ai-behavior/signals/{id}'].get.operationId).toBe('getSignal');
  });
});
