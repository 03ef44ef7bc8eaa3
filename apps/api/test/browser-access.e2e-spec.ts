import { Writable } from 'node:stream';
import { Client } from 'pg';
import { pino } from 'pino';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';

const APP = 'https://app.example';
const view = (contentId: string, extra: Record<string, unknown> = {}) => ({
  schemaId: 'content.view',
  userId: 'u-1',
  attributes: { contentId, durationSeconds: 3 },
  ...extra,
});

describe('browser access: publishable keys, CORS, beacons, overlay:resolve (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let pk: string;
  let pkId: string;
  let restricted: string;
  let secret: string;
  const logLines: Record<string, any>[] = [];

  const createKey = async (tenant: string, body: Record<string, unknown>) => {
    const res = await t.request('POST', `/api/admin/tenants/${tenant}/api-keys`, {
      key: TEST_ADMIN_KEY,
      body,
    });
    return res;
  };
  const storedFor = async (tenant: string, contentId: string) =>
    Number(
      (
        await db.query(
          `select count(*)::int as n from behavior_signals where tenant_id = $1 and attributes->>'contentId' = $2`,
          [tenant, contentId],
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    t = await startTestApp({ logger: pino({ level: 'info' }, sink) });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    secret = await createTenantWithKey(t, 'web', ['ingest', 'read']);
    await createTenantWithKey(t, 'other', ['ingest']);
    const created = await createKey('web', { type: 'publishable', allowedOrigins: [APP] });
    expect(created.status).toBe(201);
    pk = created.body.key;
    pkId = created.body.id;
    const limited = await createKey('web', {
      type: 'publishable',
      allowedOrigins: [APP],
      allowedSchemas: ['content.view'],
    });
    restricted = limited.body.key;
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('publishable keys', () => {
    it('are created with a pk_ prefix, ingest-only, listed with their origins and stored hashed', async () => {
      expect(pk).toMatch(/^pk_[0-9a-f]{8}_/);
      const list = await t.request('GET', '/api/admin/tenants/web/api-keys', { key: TEST_ADMIN_KEY });
      const row = list.body.find((k: { id: string }) => k.id === pkId);
      expect(row).toMatchObject({
        type: 'publishable',
        scopes: ['ingest'],
        allowedOrigins: [APP],
        allowedSchemas: null,
      });
      const stored = await db.query('select key_hash from api_keys where id = $1', [pkId]);
      expect(stored.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0].key_hash).not.toContain(pk);
    });

    it('refuses bad specs: no origins, a path in an origin, wider scopes, origins on a secret key', async () => {
      expect((await createKey('web', { type: 'publishable' })).status).toBe(400);
      expect(
        (await createKey('web', { type: 'publishable', allowedOrigins: ['https://a.example/x'] })).status,
      ).toBe(400);
      const wide = await createKey('web', { type: 'publishable', allowedOrigins: [APP], scopes: ['read'] });
      expect([wide.status, wide.body.code]).toEqual([400, 'publishable_key_scopes']);
      const secretWithOrigins = await createKey('web', { scopes: ['ingest'], allowedOrigins: [APP] });
      expect([secretWithOrigins.status, secretWithOrigins.body.code]).toEqual([
        400,
        'publishable_only_field',
      ]);
    });

    it('are accepted from a listed Origin only', async () => {
      const ok = await t.request('POST', '/api/ai-behavior/signals', {
        key: pk,
        body: view('pk-ok'),
        headers: { origin: APP },
      });
      expect(ok.status).toBe(201);
      const elsewhere = await t.request('POST', '/api/ai-behavior/signals', {
        key: pk,
        body: view('pk-elsewhere'),
        headers: { origin: 'https://evil.example' },
      });
      expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'origin_not_allowed']);
      const none = await t.request('POST', '/api/ai-behavior/signals', { key: pk, body: view('pk-none') });
      expect([none.status, none.body.code]).toEqual([403, 'origin_not_allowed']);
      expect(await storedFor('web', 'pk-ok')).toBe(1);
      expect(await storedFor('web', 'pk-elsewhere')).toBe(0);
    });

    it('cannot read or reach any non-ingest route', async () => {
      const read = await t.request('GET', '/api/ai-behavior/users/u-1/signals', {
        key: pk,
        headers: { origin: APP },
      });
      expect([read.status, read.body.code]).toEqual([403, 'publishable_key_not_allowed']);
      const overlays = await t.request('GET', '/api/overlays/resolve?capability=x', {
        key: pk,
        headers: { origin: APP },
      });
      expect(overlays.status).toBe(403);
    });

    it('with allowedSchemas, refuses per item the schemas it does not list', async () => {
      const batch = await t.request('POST', '/api/ai-behavior/signals/batch', {
        key: restricted,
        headers: { origin: APP },
        body: { signals: [view('rs-1'), { ...view('rs-2'), schemaId: 'test.other' }, view('rs-3')] },
      });
      expect(batch.status).toBe(200);
      expect(batch.body).toMatchObject({ accepted: 2, rejected: 1 });
      expect(batch.body.results.map((r: { index: number; status: string }) => [r.index, r.status])).toEqual([
        [0, 'accepted'],
        [1, 'rejected'],
        [2, 'accepted'],
      ]);
      expect(batch.body.results[1].errors[0]).toMatchObject({ path: 'schemaId', code: 'schema_not_allowed' });
      const one = await t.request('POST', '/api/ai-behavior/signals', {
        key: restricted,
        headers: { origin: APP },
        body: { ...view('rs-4'), schemaId: 'test.other' },
      });
      expect([one.status, one.body.code]).toEqual([422, 'schema_not_allowed']);
      expect([
        await storedFor('web', 'rs-1'),
        await storedFor('web', 'rs-2'),
        await storedFor('web', 'rs-3'),
      ]).toEqual([1, 0, 1]);
    });

    it('store in their own tenant only', async () => {
      const res = await t.request('POST', '/api/ai-behavior/signals', {
        key: pk,
        headers: { origin: APP },
        body: { ...view('iso-1'), tenantId: 'other' },
      });
      expect([201, 422]).toContain(res.status);
      expect(await storedFor('other', 'iso-1')).toBe(0);
      const mine = await db.query(
        `select tenant_id from behavior_signals where attributes->>'contentId' = 'pk-ok'`,
      );
      expect(mine.rows.map((r) => r.tenant_id)).toEqual(['web']);
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with the grant', async () => {
      const res = await t.request('OPTIONS', '/api/ai-behavior/signals/batch', {
        headers: {
          origin: APP,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('access-control-allow-methods')).toBe('POST');
      expect(res.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
      expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(res.headers.get('vary')).toMatch(/origin/i);
    });

    it('grants nothing to an origin no active key lists', async () => {
      const res = await t.request('OPTIONS', '/api/ai-behavior/signals', {
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    });

    it('marks the actual response to an allowed origin, errors included', async () => {
      const ok = await t.request('POST', '/api/ai-behavior/signals', {
        key: pk,
        headers: { origin: APP },
        body: view('cors-1'),
      });
      expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
      const bad = await t.request('POST', '/api/ai-behavior/signals', {
        key: pk,
        headers: { origin: APP },
        body: { nope: true },
      });
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.headers.get('access-control-allow-origin')).toBe(APP);
    });

    it('does not grant on other routes', async () => {
      const res = await t.request('OPTIONS', '/api/ai-behavior/health', { headers: { origin: APP } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('beacons', () => {
    it('stores a text/plain JSON body, the key in ?key=', async () => {
      const res = await t.request('POST', `/api/ai-behavior/signals/batch?key=${pk}`, {
        headers: { origin: APP, 'content-type': 'text/plain;charset=UTF-8' },
        raw: JSON.stringify({ signals: [view('beacon-1')] }),
      });
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(1);
      expect(await storedFor('web', 'beacon-1')).toBe(1);
    });

    it('takes the key from a writeKey body field', async () => {
      const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
        headers: { origin: APP, 'content-type': 'text/plain' },
        raw: JSON.stringify({ writeKey: pk, signals: [view('beacon-2')] }),
      });
      expect([res.status, res.body.accepted]).toEqual([200, 1]);
      const one = await t.request('POST', '/api/ai-behavior/signals', {
        headers: { origin: APP },
        body: { ...view('beacon-3'), writeKey: pk },
      });
      expect(one.status).toBe(201);
      expect(await storedFor('web', 'beacon-3')).toBe(1);
    });

    it('refuses malformed text/plain JSON with the JSON error code', async () => {
      const res = await t.request('POST', `/api/ai-behavior/signals/batch?key=${pk}`, {
        headers: { origin: APP, 'content-type': 'text/plain' },
        raw: '{"signals": [',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBeTruthy();
    });

    it('refuses a secret key in the URL or the body', async () => {
      const query = await t.request('POST', `/api/ai-behavior/signals?key=${secret}`, {
        body: view('sec-1'),
      });
      expect([query.status, query.body.code]).toEqual([401, 'secret_key_in_url']);
      const body = await t.request('POST', '/api/ai-behavior/signals', {
        body: { ...view('sec-2'), writeKey: secret },
      });
      expect([body.status, body.body.code]).toEqual([401, 'secret_key_in_body']);
      expect(await storedFor('web', 'sec-1')).toBe(0);
    });

    it('keeps the query key out of the request log', async () => {
      const lines = logLines.filter((l) => typeof l.req?.url === 'string' && l.req.url.includes('key='));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.req.url.includes('key=[redacted]'))).toBe(true);
      expect(JSON.stringify(logLines)).not.toContain(pk);
      expect(JSON.stringify(logLines)).not.toContain(secret);
    });
  });

  it('a revoked publishable key is refused, and its origin loses the grant', async () => {
    const spare = await createKey('other', {
      type: 'publishable',
      allowedOrigins: ['https://spare.example'],
    });
    const before = await t.request('OPTIONS', '/api/ai-behavior/signals', {
      headers: { origin: 'https://spare.example', 'access-control-request-method': 'POST' },
    });
    expect(before.headers.get('access-control-allow-origin')).toBe('https://spare.example');
    expect(
      (await t.request('DELETE', `/api/admin/api-keys/${spare.body.id}`, { key: TEST_ADMIN_KEY })).status,
    ).toBe(204);
    const res = await t.request('POST', `/api/ai-behavior/signals?key=${spare.body.key}`, {
      headers: { origin: 'https://spare.example' },
      body: view('revoked-1'),
    });
    expect([res.status, res.body.code]).toEqual([401, 'revoked_api_key']);
    const after = await t.request('OPTIONS', '/api/ai-behavior/signals', {
      headers: { origin: 'https://spare.example', 'access-control-request-method': 'POST' },
    });
    expect(after.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('an overlay:resolve key resolves overlays and is refused everywhere else', async () => {
    const key = await createTenantWithKey(t, 'web', ['overlay:resolve']);
    const resolved = await t.request('GET', '/api/overlays/resolve?capability=billing.plan', { key });
    expect(resolved.status).toBe(200);
    for (const [method, path] of [
      ['GET', '/api/overlays'],
      ['GET', '/api/ai-behavior/users/u-1/signals'],
      ['POST', '/api/ai-behavior/signals'],
      ['POST', '/api/overlays/apply'],
    ] as const) {
      const res = await t.request(method, path, { key, body: method === 'POST' ? view('x') : undefined });
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'insufficient_scope']);
    }
  });
});

describe('publishable key rate limit per client IP (e2e)', () => {
  it('limits a publishable key per client IP, and leaves secret keys to the key-wide bucket', async () => {
    const t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            ingestion: {
              rateLimit: {
                enabled: true,
                requestsPerSecond: 100,
                burst: 100,
                perClientIp: { requestsPerSecond: 1, burst: 2 },
              },
            },
          },
        },
      },
    });
    try {
      const secret = await createTenantWithKey(t, 'rl', ['ingest']);
      const created = await t.request('POST', '/api/admin/tenants/rl/api-keys', {
        key: TEST_ADMIN_KEY,
        body: { type: 'publishable', allowedOrigins: [APP] },
      });
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await t.request('POST', `/api/ai-behavior/signals?key=${created.body.key}`, {
          headers: { origin: APP },
          body: view(`rl-pk-${i}`),
        });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 429, 429]);
      expect(last!.body.code).toBe('rate_limited');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 4; i++) {
        const res = await t.request('POST', '/api/ai-behavior/signals', {
          key: secret,
          body: view(`rl-sk-${i}`),
        });
        expect(res.status).toBe(201);
      }
    } finally {
      await t.close();
    }
  });
});
