import { Client, type Pool, type PoolClient } from 'pg';
import { BEHAVIOR_PG_POOL, BEHAVIOR_READ_PG_POOL } from '@lssm/behavior-core';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

// Connections: ingestion has its own reserved pool; API reads have a statement_timeout.
describe('database resources (e2e)', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        database: { poolSize: 2, readPoolSize: 2, ingestPoolSize: 2, readStatementTimeoutMs: 300 },
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
    const pools = [t.app.get<Pool>(BEHAVIOR_PG_POOL), t.app.get<Pool>(BEHAVIOR_READ_PG_POOL)];
    try {
      for (const pool of pools) for (let i = 0; i < 2; i++) held.push(await pool.connect());
      for (const pool of pools) expect(pool.totalCount - pool.idleCount).toBe(pool.options.max);
      const started = Date.now();
      const results = await Promise.all(['r-1', 'r-2', 'r-3'].map(ingest));
      // With one shared pool every ingest waited for a free connection, then 503 after 5 s.
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
});
