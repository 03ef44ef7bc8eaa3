import { Client } from 'pg';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';

describe('service foundation (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { server: { bodyLimitBytes: 4096 } } });
  });
  afterAll(() => t.close());

  it('serves health with the database up and the in-process runner', async () => {
    const res = await t.request('GET', '/api/ai-behavior/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      checks: {
        database: { status: 'up' },
        redis: { status: 'disabled' },
        jobRunner: { status: 'up' },
        sinks: { status: 'disabled', sinks: [] },
      },
    });
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
  });

  it('echoes a caller-provided request id', async () => {
    const res = await t.request('GET', '/api/ai-behavior/health', {
      headers: { 'x-request-id': 'req-abc-123' },
    });
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
  });

  it('publishes a valid OpenAPI 3 document with the error schema on every operation', async () => {
    const res = await t.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.schemas.ErrorResponseDto).toBeDefined();
    const operations = Object.values(res.body.paths as Record<string, Record<string, any>>).flatMap((p) =>
      Object.values(p),
    );
    expect(operations.length).toBeGreaterThan(4);
    for (const op of operations) {
      expect(op.operationId).toBeTruthy();
      expect(op.responses['4XX'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/ErrorResponseDto',
      );
    }
    const ui = await fetch(`${t.baseUrl}/docs`);
    expect(ui.status).toBe(200);
  });

  it('exports Prometheus metrics including HTTP latency', async () => {
    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('http_server_request_duration');
  });

  describe('error shape', () => {
    it('malformed JSON → 400 malformed_json', async () => {
      const res = await t.request('POST', '/api/admin/tenants', {
        key: TEST_ADMIN_KEY,
        raw: '{"id": "acme",',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'malformed_json' });
      expect(typeof res.body.message).toBe('string');
    });

    it('wrong content type → 415 unsupported_media_type', async () => {
      const res = await t.request('POST', '/api/admin/tenants', {
        key: TEST_ADMIN_KEY,
        raw: 'id=acme',
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({
        statusCode: 415,
        error: 'Unsupported Media Type',
        code: 'unsupported_media_type',
      });
    });

    it('oversized body → 413 payload_too_large', async () => {
      const res = await t.request('POST', '/api/admin/tenants', {
        key: TEST_ADMIN_KEY,
        body: { id: 'big', name: 'x'.repeat(10_000) },
      });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'payload_too_large',
      });
    });

    it('unknown route → 404 in the same shape', async () => {
      const res = await t.request('GET', '/api/nope');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'not_found' });
    });

    it('invalid DTO → 400 with details per property', async () => {
      const res = await t.request('POST', '/api/admin/tenants', {
        key: TEST_ADMIN_KEY,
        body: { id: 'Not Valid!', extra: 1 },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      const paths = res.body.details.map((d: any) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['id', 'extra']));
    });
  });

  describe('admin API and keys', () => {
    it('rejects admin calls without or with a wrong admin key (401)', async () => {
      const none = await t.request('GET', '/api/admin/tenants');
      expect(none.status).toBe(401);
      expect(none.body.code).toBe('missing_api_key');
      const wrong = await t.request('GET', '/api/admin/tenants', { key: 'not-the-admin-key-at-all' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_admin_key');
    });

    it('a tenant key, even with admin scope, cannot use /api/admin', async () => {
      const key = await createTenantWithKey(t, 'scoped', ['admin']);
      const res = await t.request('GET', '/api/admin/tenants', { key });
      expect(res.status).toBe(401);
    });

    it('creates tenants, refuses duplicates, lists them', async () => {
      const created = await t.request('POST', '/api/admin/tenants', {
        key: TEST_ADMIN_KEY,
        body: { id: 'acme', name: 'Acme' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'acme', name: 'Acme' });
      const dup = await t.request('POST', '/api/admin/tenants', {
        key: TEST_ADMIN_KEY,
        body: { id: 'acme', name: 'Again' },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('tenant_exists');
      const list = await t.request('GET', '/api/admin/tenants', { key: TEST_ADMIN_KEY });
      expect(list.body.map((x: any) => x.id)).toContain('acme');
    });

    it('creates a key shown once and stores only its hash', async () => {
      await createTenantWithKey(t, 'hashcheck', ['read']);
      const res = await t.request('POST', '/api/admin/tenants/hashcheck/api-keys', {
        key: TEST_ADMIN_KEY,
        body: { scopes: ['ingest'] },
      });
      expect(res.status).toBe(201);
      const plain: string = res.body.key;
      expect(plain.length).toBeGreaterThan(40);
      const db = new Client({ connectionString: t.database.url });
      await db.connect();
      try {
        // Search every text-like column of every table for the plain key.
        const { rows } = await db.query(
          `select table_name, column_name from information_schema.columns
            where table_schema = 'public' and data_type in ('text', 'character varying', 'ARRAY', 'jsonb')`,
        );
        for (const { table_name, column_name } of rows) {
          const hit = await db.query(
            `select 1 from "${table_name}" where "${column_name}"::text like $1 limit 1`,
            [`%${plain.slice(-20)}%`],
          );
          expect({ table_name, column_name, found: hit.rowCount }).toEqual({
            table_name,
            column_name,
            found: 0,
          });
        }
        const stored = await db.query('select key_hash from api_keys where id = $1', [res.body.id]);
        expect(stored.rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        await db.end();
      }
      const listed = await t.request('GET', '/api/admin/tenants/hashcheck/api-keys', { key: TEST_ADMIN_KEY });
      expect(JSON.stringify(listed.body)).not.toContain(plain);
    });

    it('404 for a key on an unknown tenant; 400 for an unknown scope', async () => {
      const unknown = await t.request('POST', '/api/admin/tenants/ghost/api-keys', {
        key: TEST_ADMIN_KEY,
        body: { scopes: ['read'] },
      });
      expect(unknown.status).toBe(404);
      const badScope = await t.request('POST', '/api/admin/tenants/acme/api-keys', {
        key: TEST_ADMIN_KEY,
        body: { scopes: ['root'] },
      });
      expect(badScope.status).toBe(400);
    });
  });

  describe('tenant keys: 401 vs 403', () => {
    it('401 for a missing, unknown or revoked key; 403 for a missing scope', async () => {
      const readKey = await createTenantWithKey(t, 'authz', ['read']);
      const adminKey = await createTenantWithKey(t, 'authz', ['admin']);
      expect((await t.request('GET', '/api/ai-behavior/jobs')).status).toBe(401);
      const unknown = await t.request('GET', '/api/ai-behavior/jobs', { key: 'bk_deadbeef_nope' });
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('invalid_api_key');
      const forbidden = await t.request('GET', '/api/ai-behavior/jobs', { key: readKey });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe('insufficient_scope');
      expect((await t.request('GET', '/api/ai-behavior/jobs', { key: adminKey })).status).toBe(200);

      const keys = await t.request('GET', '/api/admin/tenants/authz/api-keys', { key: TEST_ADMIN_KEY });
      const adminKeyId = keys.body.find((k: any) => k.scopes.includes('admin')).id;
      expect(
        (await t.request('DELETE', `/api/admin/api-keys/${adminKeyId}`, { key: TEST_ADMIN_KEY })).status,
      ).toBe(204);
      const revoked = await t.request('GET', '/api/ai-behavior/jobs', { key: adminKey });
      expect(revoked.status).toBe(401);
      expect(revoked.body.code).toBe('revoked_api_key');
    });
  });
});
