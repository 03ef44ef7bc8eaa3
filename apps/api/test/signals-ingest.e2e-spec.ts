import { Client } from 'pg';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const view = (contentId: string, extra: Record<string, unknown> = {}) => ({
  schemaId: 'content.view',
  userId: 'u-1',
  attributes: { contentId, durationSeconds: 12 },
  ...extra,
});

describe('signal ingestion (e2e)', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;
  let db: Client;

  beforeAll(async () => {
    // maxAgeDays: some fixtures are dated years back (2019, 2025).
    t = await startTestApp({
      overrides: { ai: { behavior: { ingestion: { maxBatchSize: 10, maxAgeDays: 3650 } } } },
    });
    ingestKey = await createTenantWithKey(t, 'acme', ['ingest']);
    readKey = await createTenantWithKey(t, 'acme', ['read']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query(sql, params)).rows[0].n);

  it('stores a valid signal: 201 with a UUIDv7 id, enriched and tenant-scoped', async () => {
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: view('a-1', { source: 'web' }),
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('accepted');
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { rows } = await db.query('select * from behavior_signals where id = $1', [res.body.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tenant_id: 'acme',
      user_id: 'u-1',
      schema_id: 'content.view',
      schema_version: 1,
      source: 'web',
    });
    expect(rows[0].attributes).toEqual({ contentId: 'a-1', durationSeconds: 12 });
    expect(Math.abs(rows[0].occurred_at.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('a repeated signalKey answers 200 duplicate with the original id and stores nothing', async () => {
    const first = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: view('a-2', { signalKey: 'k-1' }),
    });
    const again = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: view('a-2', { signalKey: 'k-1', timestamp: '2025-01-01T00:00:00Z' }),
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, status: 'duplicate' });
    expect(await count("select count(*) n from behavior_signals where signal_key = 'k-1'")).toBe(1);
  });

  it('concurrent requests with one signalKey store it exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.request('POST', '/api/ai-behavior/signals', {
          key: ingestKey,
          body: view('a-3', { signalKey: 'race' }),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await count("select count(*) n from behavior_signals where signal_key = 'race'")).toBe(1);
  });

  it('a schema violation is 422 with details, and the payload is kept in failed_signals', async () => {
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: { schemaId: 'content.view', userId: 'u-1', attributes: { durationSeconds: -1, bogus: true } },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'validation_failed',
    });
    const codes = res.body.details.map((d: any) => `${d.path}:${d.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'attributes.contentId:required',
        'attributes.durationSeconds:minimum',
        'attributes.bogus:additional_property',
      ]),
    );
    const { rows } = await db.query(
      "select * from failed_signals where tenant_id = 'acme' and payload->'attributes'->>'bogus' = 'true'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].schema_id).toBe('content.view');
    expect(rows[0].reasons.map((r: any) => r.code)).toContain('required');
  });

  it.each([
    ['no identity', { schemaId: 'content.view', attributes: { contentId: 'x' } }, 'identity_required'],
    ['unknown schema', { schemaId: 'nope.nothing', userId: 'u', attributes: {} }, 'unknown_schema'],
    [
      'unknown version',
      { schemaId: 'content.view', schemaVersion: 9, userId: 'u', attributes: { contentId: 'x' } },
      'unknown_version',
    ],
    ['bad timestamp', view('x', { timestamp: 'yesterday' }), 'format'],
    [
      'future timestamp',
      view('x', { timestamp: new Date(Date.now() + 3_600_000).toISOString() }),
      'clock_skew',
    ],
    ['unknown envelope field', view('x', { tenantId: 'other' }), 'unknown_field'],
  ])('rejects %s with reason %s', async (_name, body, code) => {
    const res = await t.request('POST', '/api/ai-behavior/signals', { key: ingestKey, body });
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: any) => d.code)).toContain(code);
  });

  it('rejects __proto__ / constructor / prototype attribute keys', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const raw = `{"schemaId":"content.view","userId":"u","attributes":{"contentId":"x","${key}":{"polluted":true}}}`;
      const res = await t.request('POST', '/api/ai-behavior/signals', {
        key: ingestKey,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(422);
      expect(res.body.details.map((d: any) => d.code)).toContain('forbidden_key');
    }
    expect(({} as any).polluted).toBeUndefined();
  });

  it('accepts a signal for a long-past month (partition created on demand)', async () => {
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: view('old', { timestamp: '2019-03-04T05:06:07+02:00' }),
    });
    expect(res.status).toBe(201);
    const { rows } = await db.query(
      'select occurred_at, tableoid::regclass::text as part from behavior_signals where id = $1',
      [res.body.id],
    );
    expect(rows[0].occurred_at.toISOString()).toBe('2019-03-04T03:06:07.000Z');
    expect(rows[0].part).toBe('behavior_signals_y2019m03');
  });

  it('a mixed batch gives exact per-item results and stores the good items', async () => {
    await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: view('b-0', { signalKey: 'known' }),
    });
    const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingestKey,
      body: {
        signals: [
          view('b-1', { signalKey: 'batch-1' }),
          { schemaId: 'content.view', userId: 'u', attributes: {} },
          view('b-2', { signalKey: 'known' }),
          view('b-3', { signalKey: 'twice' }),
          view('b-3', { signalKey: 'twice' }),
          'not an object',
          view('b-4', { sessionId: 's-9', userId: undefined }),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 2, rejected: 2 });
    expect(res.body.results.map((r: any) => r.status)).toEqual([
      'accepted',
      'rejected',
      'duplicate',
      'accepted',
      'duplicate',
      'rejected',
      'accepted',
    ]);
    expect(res.body.results.map((r: any) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(res.body.results[1].errors[0]).toMatchObject({ path: 'attributes.contentId', code: 'required' });
    expect(res.body.results[5].errors[0].code).toBe('type');
    expect(res.body.results[4].id).toBe(res.body.results[3].id);
    const known = await db.query("select signal_id from behavior_signal_keys where signal_key = 'known'");
    expect(res.body.results[2].id).toBe(known.rows[0].signal_id);
    expect(
      await count("select count(*) n from behavior_signals where signal_key in ('batch-1','twice','known')"),
    ).toBe(3);
    expect(await count("select count(*) n from behavior_signals where session_id = 's-9'")).toBe(1);
  });

  it('a bad envelope is 400, an empty batch 400, an oversized batch 413', async () => {
    const bad = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingestKey,
      body: { items: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_envelope');
    const empty = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingestKey,
      body: { signals: [] },
    });
    expect(empty.status).toBe(400);
    const big = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingestKey,
      body: { signals: Array.from({ length: 11 }, (_, i) => view(`big-${i}`)) },
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('batch_too_large');
  });

  it('401 without a key, 403 for a key without ingest scope', async () => {
    expect((await t.request('POST', '/api/ai-behavior/signals', { body: view('x') })).status).toBe(401);
    const res = await t.request('POST', '/api/ai-behavior/signals', { key: readKey, body: view('x') });
    expect(res.status).toBe(403);
  });

  it('the tenant comes from the key, never the body', async () => {
    const otherKey = await createTenantWithKey(t, 'globex', ['ingest']);
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key: otherKey,
      body: view('g-1', { signalKey: 'k-1' }),
    });
    // Same signalKey as acme's k-1, but another tenant: a new signal.
    expect(res.status).toBe(201);
    const { rows } = await db.query('select tenant_id from behavior_signals where id = $1', [res.body.id]);
    expect(rows[0].tenant_id).toBe('globex');
  });
});

describe('signal ingestion rate limit (e2e)', () => {
  it('answers 429 with Retry-After once a key spends its burst', async () => {
    const t = await startTestApp({
      overrides: {
        ai: { behavior: { ingestion: { rateLimit: { enabled: true, requestsPerSecond: 1, burst: 3 } } } },
      },
    });
    try {
      const key = await createTenantWithKey(t, 'acme', ['ingest']);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await t.request('POST', '/api/ai-behavior/signals', { key, body: view(`r-${i}`) });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      expect(last!.body.code).toBe('rate_limited');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await t.close();
    }
  });
});
