import { Client, type PoolClient } from 'pg';
import { DatabasePool } from '@lssm/nest-common';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

// Connections: one pool with a share reserved for ingestion; API reads have a statement_timeout.
describe('database resources (e2e)', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        database: { poolSize: 4, ingestReserved: 2, readStatementTimeoutMs: 300 },
      },
    });
    ingestKey = await createTenantWithKey(t, 'acme', ['ingest']);
    readKey = await createTenantWithKey(t, 'acme', ['read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ingest = (userId: string) =>
    t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: { schemaId: 'content.view', userId, attributes: { contentId: 'c' } },
    });

  it('accepts signals while reads and background work hold every other connection', async () => {
    const held: PoolClient[] = [];
    const db = t.app.get(DatabasePool);
    try {
      // The two shared connections: one held by background work, one by a read.
      held.push(await db.background.connect(), await db.read.connect());
      const started = Date.now();
      const results = await Promise.all(['r-1', 'r-2', 'r-3'].map(ingest));
      // Without the reserve every ingest waited for a free connection, then 503 after 5 s.
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const client of held) client.release();
    }
    const stored = await t.request('GET', '/api/ai-behavior/users/r-1/signals', { key: readKey });
    expect(stored.status).toBe(200);
    expect(stored.body.items).toHaveLength(1);
  });

  it('cancels a read that runs past readStatementTimeoutMs with 504 query_timeout', async () => {
    expect((await ingest('slow-1')).status).toBe(201);
    // A lock held elsewhere makes the read wait; the wait counts toward statement_timeout.
    const locker = new Client({ connectionString: t.database.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table behavior_signals in access exclusive mode');
      await locker.query('lock table behavior_signal_metrics in access exclusive mode');
      const started = Date.now();
      const signals = await t.request('GET', '/api/ai-behavior/users/slow-1/signals', { key: readKey });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(signals.status).toBe(504);
      expect(signals.body).toMatchObject({ statusCode: 504, code: 'query_timeout' });
      expect(signals.headers.get('retry-after')).toBeNull();
      const metrics = await t.request('GET', '/api/ai-behavior/users/slow-1/metrics', { key: readKey });
      expect(metrics.status).toBe(504);
      expect(metrics.body.code).toBe('query_timeout');
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    const after = await t.request('GET', '/api/ai-behavior/users/slow-1/signals', { key: readKey });
    expect(after.status).toBe(200);
    expect(after.body.items).toHaveLength(1);
  });

  it('holds every connection of the service in the one pool, under one application_name', async () => {
    for (const user of ['c-1', 'c-2', 'c-3']) expect((await ingest(user)).status).toBe(201);
    expect((await t.request('GET', '/api/ai-behavior/users/c-1/signals', { key: readKey })).status).toBe(200);
    expect((await t.request('GET', '/api/admin/tenants', { key: t.config.admin.key! })).status).toBe(200);
    const probe = new Client({ connectionString: t.database.url, application_name: 'probe' });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ application_name: string; n: number }>(
        `select application_name, count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
          group by application_name`,
      );
      expect(rows.map((r) => r.application_name)).toEqual(['lssm-behavior']);
      expect(rows[0]!.n).toBeGreaterThan(0);
      expect(rows[0]!.n).toBeLessThanOrEqual(4);
    } finally {
      await probe.end();
    }
  });
});
