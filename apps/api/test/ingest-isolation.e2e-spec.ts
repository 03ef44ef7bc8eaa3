import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

// Each poison is a value PostgreSQL cannot store (or that overflowed the store's stack)
// with the per-item code it must be rejected with. `raw` poisons are JSON text the
// test's own JSON.stringify cannot produce (1e400) or should not build (deep nesting).
type Poison = { name: string; code: string; item?: Record<string, unknown>; raw?: string };

const view = (key: string, extra: Record<string, unknown> = {}) => ({
  schemaId: 'content.view',
  userId: 'u-1',
  signalKey: key,
  attributes: { contentId: `c-${key}`, durationSeconds: 3 },
  ...extra,
});
const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const POISONS: Poison[] = [
  {
    name: 'NUL in a value',
    code: 'nul_character',
    item: view('p', { attributes: { contentId: 'a\u0000b' } }),
  },
  {
    name: 'NUL in a key',
    code: 'nul_character',
    item: view('p', { attributes: { contentId: 'x', 'k\u0000': 1 } }),
  },
  { name: 'NUL in userId', code: 'nul_character', item: view('p', { userId: 'u\u0000' }) },
  { name: 'NUL in sessionId', code: 'nul_character', item: view('p', { sessionId: 's\u0000' }) },
  { name: 'NUL in signalKey', code: 'nul_character', item: view('p\u0000') },
  { name: 'NUL in source', code: 'nul_character', item: view('p', { source: 'web\u0000' }) },
  { name: 'NUL in schemaId', code: 'nul_character', item: view('p', { schemaId: 'content.view\u0000' }) },
  {
    name: 'lone high surrogate',
    code: 'invalid_unicode',
    item: view('p', { attributes: { contentId: 'x\ud800' } }),
  },
  { name: 'lone low surrogate in userId', code: 'invalid_unicode', item: view('p', { userId: '\udc00u' }) },
  { name: 'schemaVersion above 2^31-1', code: 'maximum', item: view('p', { schemaVersion: 2 ** 31 }) },
  {
    name: 'a number that parses to Infinity',
    code: 'non_finite_number',
    raw: '{"schemaId":"content.view","userId":"u","attributes":{"contentId":"x","durationSeconds":1e400}}',
  },
  {
    name: '10,000 levels of nesting',
    code: 'max_depth',
    raw: `{"schemaId":"content.view","userId":"u","attributes":{"contentId":"x","extra":${deep(10_000)}}}`,
  },
];

describe('ingestion isolates unstorable items (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { ai: { behavior: { ingestion: { rateLimit: { enabled: false } } } } },
    });
    acme = await createTenantWithKey(t, 'acme', ['ingest']);
    globex = await createTenantWithKey(t, 'globex', ['ingest']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const batch = (key: string, items: string[]) =>
    t.request('POST', '/api/ai-behavior/signals/batch', {
      key,
      raw: `{"signals":[${items.join(',')}]}`,
      headers: { 'content-type': 'application/json' },
    });
  const text = (p: Poison) => p.raw ?? JSON.stringify(p.item);

  it('rejects each poison alone with its code; a concurrent tenant and the valid items beside it all commit once', async () => {
    const run = randomUUID().slice(0, 8);
    const acmeKeys: string[] = [];
    const globexKeys: string[] = [];
    const requests: Promise<void>[] = [];
    for (let round = 0; round < 4; round++) {
      POISONS.forEach((poison, p) => {
        const own = [0, 1, 2].map((i) => `${run}-a-${round}-${p}-${i}`);
        const other = [0, 1, 2, 3].map((i) => `${run}-g-${round}-${p}-${i}`);
        acmeKeys.push(...own);
        globexKeys.push(...other);
        const acmeItems = [
          JSON.stringify(view(own[0])),
          text(poison),
          ...own.slice(1).map((k) => JSON.stringify(view(k))),
        ];
        requests.push(
          batch(acme, acmeItems).then((res) => {
            expect({ poison: poison.name, status: res.status }).toEqual({ poison: poison.name, status: 200 });
            expect(res.body).toMatchObject({ accepted: 3, rejected: 1 });
            expect(res.body.results[1].status).toBe('rejected');
            expect(res.body.results[1].errors.map((e: { code: string }) => e.code)).toContain(poison.code);
          }),
          batch(
            globex,
            other.map((k) => JSON.stringify(view(k))),
          ).then((res) => {
            expect(res.status).toBe(200);
            expect(res.body).toMatchObject({ accepted: 4, rejected: 0 });
          }),
        );
      });
    }
    await Promise.all(requests);

    const stored = async (tenant: string, keys: string[]) =>
      (
        await db.query<{ signal_key: string; n: string }>(
          `select signal_key, count(*) n from behavior_signals
            where tenant_id = $1 and signal_key = any($2::text[]) group by signal_key`,
          [tenant, keys],
        )
      ).rows;
    const acmeRows = await stored('acme', acmeKeys);
    const globexRows = await stored('globex', globexKeys);
    expect(acmeRows).toHaveLength(acmeKeys.length);
    expect(globexRows).toHaveLength(globexKeys.length);
    expect([...acmeRows, ...globexRows].every((r) => Number(r.n) === 1)).toBe(true);
    // The poisons are kept as failed signals, each row storable and bounded.
    const failed = await db.query<{ n: string; biggest: number }>(
      `select count(*) n, max(octet_length(payload::text)) biggest from failed_signals where tenant_id = 'acme'`,
    );
    expect(Number(failed.rows[0].n)).toBe(4 * POISONS.length);
    expect(failed.rows[0].biggest).toBeLessThan(20_000);
  }, 60_000);

  it('the single-signal route answers 422 with the code, never a 5xx', async () => {
    for (const poison of POISONS) {
      const res = await t.request('POST', '/api/ai-behavior/signals', {
        key: acme,
        raw: text(poison),
        headers: { 'content-type': 'application/json' },
      });
      expect({ poison: poison.name, status: res.status }).toEqual({ poison: poison.name, status: 422 });
      expect(res.body.details.map((d: { code: string }) => d.code)).toContain(poison.code);
    }
  });

  it('a replay filter holding U+0000 is a 400, not a database error', async () => {
    const res = await t.request('POST', '/api/ai-behavior/failed-signals/replay', {
      key: acme,
      body: { schemaId: 'content.view\u0000' },
    });
    expect(res.status).toBe(400);
  });

  it('a deeply nested replay body is a 400 max_depth, not a 5xx', async () => {
    const res = await t.request('POST', '/api/ai-behavior/failed-signals/replay', {
      key: acme,
      raw: `{"schemaId":${deep(10_000)}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { code: string }) => d.code)).toContain('max_depth');
  });
});

describe('ingestion queue bound (e2e)', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { ai: { behavior: { ingestion: { maxQueuedSignals: 1, rateLimit: { enabled: false } } } } },
    });
    key = await createTenantWithKey(t, 'acme', ['ingest']);
  });
  afterAll(() => t.close());

  it('answers 503 overloaded with Retry-After when the group-commit queue is full', async () => {
    const run = randomUUID().slice(0, 8);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.request('POST', '/api/ai-behavior/signals/batch', {
          key,
          body: { signals: Array.from({ length: 20 }, (_, j) => view(`${run}-${i}-${j}`)) },
        }),
      ),
    );
    const statuses = new Set(responses.map((r) => r.status));
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    const refused = responses.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].body.code).toBe('overloaded');
    expect(Number(refused[0].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(responses.some((r) => r.status === 200)).toBe(true);
  });
});
