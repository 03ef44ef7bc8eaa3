import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { isDatabaseUnavailable } from '@lssm/nest-common';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';

/** `{"a":{"a":…}}` as JSON text, `depth` levels deep (too deep for Jest's stack to stringify). */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}true${'}'.repeat(depth)}`;
const json = { 'content-type': 'application/json' };

/** The service's error shape, with a machine-readable code and no Fastify code leaking out. */
const expectServiceError = (body: any, status: number) => {
  expect(body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
  expect(body.code).toEqual(expect.stringMatching(/^[a-z_]+$/));
};

const detailCodes = (body: any): string[] => (body.details ?? []).map((d: { code: string }) => d.code);

describe('client values on read paths (e2e)', () => {
  let t: TestApp;
  let key: string;
  let db: Client;
  const get = (path: string) => t.request('GET', path, { key });

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { overlays: { keyEncryptionKey: randomBytes(32).toString('base64') } },
    });
    key = await createTenantWithKey(t, 'acme', ['admin', 'read', 'ingest']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('a NUL byte in a path or query parameter is a 400 on every route family', () => {
    it.each([
      '/api/ai-behavior/users/a%00b/signals',
      '/api/ai-behavior/users/u1/signals?schemaId=a%00b',
      '/api/ai-behavior/users/a%00b/metrics',
      '/api/ai-behavior/users/u1/metrics?metricKey=a%00b',
      '/api/ai-behavior/users/a%00b/insights',
      '/api/ai-behavior/users/u1/insights?insightType=a%00b',
      '/api/ai-behavior/alerts?userId=a%00b',
      '/api/ai-behavior/failed-signals?schemaId=a%00b',
      '/api/ai-behavior/schemas?domain=a%00b',
      '/api/overlays?capability=a%00b',
      '/api/overlays/a%00b',
      '/api/overlays/base-specs/a%00b',
      '/api/overlays/audit?overlayId=a%00b',
      '/api/overlays/resolve?capability=a%00b',
      '/api/workflows/w/compose?role=a%00b',
      '/api/personalization/insights?userId=a%00b',
      '/api/admin/tenants/a%00b/api-keys',
    ])('%s', async (path) => {
      const res = path.startsWith('/api/admin')
        ? await t.request('GET', path, { key: TEST_ADMIN_KEY })
        : await get(path);
      expect(res.status).toBe(400);
      expectServiceError(res.body, 400);
      expect(detailCodes(res.body)).toContain('nul_character');
    });

    it('the protocol violation a NUL in SQL text causes is not reported as a database outage', async () => {
      // MikroORM inlines parameters into the SQL text; a NUL there truncates the wire message.
      const client = new Client({ connectionString: t.database.url });
      await client.connect();
      client.on('error', () => undefined);
      const error = await client.query("select 'a\u0000b'").catch((e: unknown) => e);
      await client.end().catch(() => undefined);
      expect((error as { code?: string }).code).toBe('08P01');
      expect(isDatabaseUnavailable(error)).toBe(false);
    });
  });

  describe('values PostgreSQL cannot take in bodies and numeric parameters are 400s', () => {
    it('deeply nested overlay metadata and setDefault values', async () => {
      const metadata = await t.request('POST', '/api/overlays', {
        key,
        raw: `{"overlayId":"deep","capability":"c","operations":[],"metadata":${nested(5000)}}`,
        headers: json,
      });
      expect(metadata.status).toBe(400);
      expect(detailCodes(metadata.body)).toContain('max_depth');
      const value = await t.request('POST', '/api/overlays', {
        key,
        raw:
          '{"overlayId":"deep","capability":"c",' +
          `"operations":[{"type":"setDefault","field":"f","value":${nested(5000)}}]}`,
        headers: json,
      });
      expect(value.status).toBe(400);
      expect(detailCodes(value.body)).toContain('max_depth');
    });

    it('a deeply nested workflow step config', async () => {
      const res = await t.request('PUT', '/api/workflows/deep/versions/1', {
        key,
        raw:
          '{"start":"s","terminal":["s"],' +
          `"steps":[{"id":"s","type":"task","label":"S","transitions":[],"config":${nested(5000)}}]}`,
        headers: json,
      });
      expect(res.status).toBe(400);
      expect(detailCodes(res.body)).toContain('max_depth');
    });

    it('NUL and lone surrogates in an overlay body', async () => {
      const res = await t.request('POST', '/api/overlays', {
        key,
        raw: '{"overlayId":"x","capability":"c\\u0000","operations":[],"metadata":{"k":"\\ud800"}}',
        headers: json,
      });
      expect(res.status).toBe(400);
      expect(detailCodes(res.body).sort()).toEqual(['invalid_unicode', 'nul_character']);
    });

    it.each([
      ['/api/overlays?offset=99999999999999999999', 'offset'],
      ['/api/overlays?offset=100001', 'offset'],
      ['/api/overlays/x?version=99999999999999999999', 'version'],
      ['/api/overlays/x?version=2147483648', 'version'],
      ['/api/overlays/audit?from=-100000-01-01T00:00:00Z', 'from'],
      ['/api/ai-behavior/users/u1/metrics?startDate=2026-02-30', 'startDate'],
      ['/api/ai-behavior/users/u1/metrics?endDate=0000-01-01', 'endDate'],
      ['/api/ai-behavior/users/u1/signals?start=2026-02-30', 'start'],
      ['/api/ai-behavior/users/u1/signals?end=0001-01-01T00:00:00%2B01:00', 'end'],
      ['/api/ai-behavior/users/u1/signals?attr.amount[gte]=1e999999', 'attr.amount[gte]'],
      ['/api/ai-behavior/users/u1/signals?attr.amount[lt]=-1e-99999', 'attr.amount[lt]'],
    ])('%s', async (path, param) => {
      const res = await get(path);
      expect(res.status).toBe(400);
      expectServiceError(res.body, 400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(param);
    });

    it.each([
      '/api/personalization/insights?until=0000-01-01T00:00:00Z',
      '/api/personalization/insights?until=0001-01-01T00:00:00Z&windowMs=31622400000',
      '/api/personalization/insights?until=9999-12-31T23:59:59-14:00',
      '/api/ai-behavior/alerts?start=0001-01-01T00:00:00Z&end=9999-12-31T23:59:59Z',
      '/api/ai-behavior/users/u1/metrics?endDate=0001-01-05',
      '/api/ai-behavior/users/u1/signals?attr.amount[gte]=1e999&attr.amount[lt]=-1e-999',
      '/api/overlays/audit?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z',
      '/api/workflows/w/compose?version=2147483647',
    ])('edge values are answered without a 5xx: %s', async (path) => {
      const res = await get(path);
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) expectServiceError(res.body, res.status);
    });

    it('an equality filter with a huge exponent matches as text instead of failing', async () => {
      const res = await get('/api/ai-behavior/users/u1/signals?attr.amount=1e999999');
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('bodies the fuzzer found crashing: verify without a signature, revokedAt null', async () => {
      const verify = await t.request('POST', '/api/overlays/verify', { key, body: { spec: {} } });
      expect(verify.status).toBe(400);
      expect(verify.body.details.map((d: { path: string }) => d.path)).toContain('signature');
      const revoke = await t.request('POST', '/api/overlays/keys/nokey/revoke', {
        key,
        body: { revokedAt: null },
      });
      expect(revoke.status).toBe(404);
      expect(revoke.body.code).toBe('key_not_found');
    });

    it('an overlay audit cursor that was never issued', async () => {
      const forged = Buffer.from(`2026-01-01T00:00:00.000Z|${'9'.repeat(30)}`).toString('base64url');
      const res = await get(`/api/overlays/audit?cursor=${forged}`);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_cursor');
    });
  });

  describe('userIds readable exactly when ingestion accepts them', () => {
    const ingest = (userId: string) =>
      t.request('POST', '/api/ai-behavior/signals', {
        key,
        body: { schemaId: 'ui.click', userId, attributes: { elementId: 'buy' } },
      });

    it.each([
      ['256 ASCII characters', 'u'.repeat(256)],
      ['256 characters outside the BMP', '😀'.repeat(256)],
    ])('%s: written, then read through every /users/{id} route', async (_name, userId) => {
      const written = await ingest(userId);
      expect(written.status).toBe(201);
      const id = encodeURIComponent(userId);
      const signals = await get(`/api/ai-behavior/users/${id}/signals`);
      expect(signals.status).toBe(200);
      expect(signals.body.items.map((s: { userId: string }) => s.userId)).toEqual([userId]);
      expect((await get(`/api/ai-behavior/users/${id}/metrics`)).status).toBe(200);
      expect((await get(`/api/ai-behavior/users/${id}/insights`)).status).toBe(200);
      // The same id as a filter or a context elsewhere.
      expect((await get(`/api/ai-behavior/alerts?userId=${id}`)).status).toBe(200);
      expect((await get(`/api/overlays/resolve?capability=c&userId=${id}`)).status).toBe(200);
      expect((await get(`/api/personalization/insights?userId=${id}`)).status).toBe(200);
    });

    it('257 characters: refused by ingestion and by the reads, both with max_length', async () => {
      const userId = 'u'.repeat(257);
      const written = await ingest(userId);
      expect(written.status).toBe(422);
      const read = await get(`/api/ai-behavior/users/${userId}/signals`);
      expect(read.status).toBe(400);
      expectServiceError(read.body, 400);
      expect(read.body.details).toEqual([expect.objectContaining({ path: 'userId', code: 'max_length' })]);
    });

    it('a parameter beyond what the router takes is a 414 in the service shape', async () => {
      const res = await get(`/api/ai-behavior/users/${'u'.repeat(600)}/signals`);
      expect(res.status).toBe(414);
      expectServiceError(res.body, 414);
      expect(res.body.code).toBe('param_too_long');
    });

    it('a badly percent-encoded path is a 400 in the service shape', async () => {
      const res = await get('/api/ai-behavior/users/%E0%A4%A/signals');
      expect(res.status).toBe(400);
      expectServiceError(res.body, 400);
      expect(res.body.code).toBe('invalid_url');
    });

    it('headers beyond what the HTTP parser takes are a 431 in the service shape', async () => {
      const { port } = new URL(t.baseUrl);
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/ai-behavior/health',
            headers: { 'x-big': 'x'.repeat(40_000) },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(431);
      expectServiceError(JSON.parse(body), 431);
    });

    it('oversized and non-JSON bodies answer in the service shape', async () => {
      const tooLarge = await t.request('POST', '/api/overlays', {
        key,
        raw: JSON.stringify({ metadata: { x: 'x'.repeat(t.config.server.bodyLimitBytes) } }),
        headers: json,
      });
      expect(tooLarge.status).toBe(413);
      expectServiceError(tooLarge.body, 413);
      const media = await t.request('POST', '/api/overlays', {
        key,
        raw: 'x',
        headers: { 'content-type': 'application/xml' },
      });
      expect(media.status).toBe(415);
      expectServiceError(media.body, 415);
    });
  });

  describe('listings are bounded', () => {
    it('base specs, workflows and workflow versions list at most 1,000 entries', async () => {
      await db.query(
        `insert into overlay_base_specs (tenant_id, capability, spec)
         select 'acme', 'cap-' || lpad(i::text, 4, '0'), '{"fields":[]}' from generate_series(1, 1001) i`,
      );
      await db.query(
        `insert into workflow_bases (tenant_id, workflow_id, version, name, spec)
         select 'acme', 'many', v, null, '{}' from generate_series(1, 1001) v`,
      );
      await db.query(
        `insert into workflow_bases (tenant_id, workflow_id, version, name, spec)
         select 'acme', 'wf-' || lpad(i::text, 4, '0'), 1, null, '{}' from generate_series(1, 1000) i`,
      );
      const specs = await get('/api/overlays/base-specs');
      expect(specs.status).toBe(200);
      expect(specs.body).toHaveLength(1000);
      expect(specs.body[0]).toBe('cap-0001');
      const versions = await get('/api/workflows/many/versions');
      expect(versions.status).toBe(200);
      expect(versions.body.items).toHaveLength(1000);
      expect(versions.body.items[0].version).toBe(1001);
      const workflows = await get('/api/workflows');
      expect(workflows.status).toBe(200);
      expect(workflows.body.items).toHaveLength(1000);
      expect(workflows.body.items[0]).toMatchObject({ workflowId: 'many', latestVersion: 1001 });
      expect(workflows.body.items[0].versions).toHaveLength(1000);
    });
  });

  describe('extensions per workflow are bounded', () => {
    it('the 101st extension of a workflow is a 409; replacing one still works', async () => {
      const base = await t.request('PUT', '/api/workflows/capped/versions/1', {
        key,
        body: {
          start: 'a',
          terminal: ['a'],
          steps: [{ id: 'a', type: 'task', label: 'A', transitions: [] }],
        },
      });
      expect(base.status).toBe(201);
      const put = (n: number) =>
        t.request('PUT', `/api/workflows/capped/extensions/e${n}`, {
          key,
          body: { priority: n, operations: [{ type: 'setLabel', anchor: 'a', label: `A${n}` }] },
        });
      for (let n = 1; n <= 100; n++) expect((await put(n)).status).toBe(201);
      const extra = await put(101);
      expect(extra.status).toBe(409);
      expect(extra.body.code).toBe('too_many_extensions');
      expect((await put(100)).status).toBe(200);
      const listed = await get('/api/workflows/capped/extensions');
      expect(listed.body.items).toHaveLength(100);
    });
  });

  describe('GETs write nothing', () => {
    const rowCounts = async (): Promise<Record<string, number>> => {
      const { rows } = await db.query<{ relname: string }>(
        `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition`,
      );
      const counts: Record<string, number> = {};
      for (const { relname } of rows) {
        const r = await db.query<{ n: string }>(`select count(*) as n from "${relname}"`);
        counts[relname] = Number(r.rows[0].n);
      }
      return counts;
    };

    it('insights of a user who never sent a signal: an empty list, and no row stored', async () => {
      const res = await get('/api/ai-behavior/users/never-seen/insights');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ userId: 'never-seen', insights: [] });
      const { rows } = await db.query('select 1 from behavior_insights where user_id = $1', ['never-seen']);
      expect(rows).toHaveLength(0);
    });

    it('every documented GET route leaves every table as it was', async () => {
      const doc = (await t.request('GET', '/docs-json')).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const paths = Object.entries(doc.paths)
        .filter(([, item]) => 'get' in item)
        .map(([path]) => path.replace(/\{[^}]+\}/g, 'nobody-here'));
      expect(paths.length).toBeGreaterThan(15);
      const before = await rowCounts();
      for (const path of paths) {
        const res = await get(path);
        expect(res.status).toBeLessThan(500);
      }
      expect(await rowCounts()).toEqual(before);
    });
  });
});
