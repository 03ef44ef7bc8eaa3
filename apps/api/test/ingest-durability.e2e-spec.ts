import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createIngestKey, expectExactlyOnce } from '../../../test/support/ingest-durability.checks';
import { startServiceProcess, type ServiceProcess } from '../../../test/support/service-process';
import { SignalLoadClient } from '../../../test/support/signal-load.client';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const ADMIN = 'durability-admin-key-0123456789';
const root = resolve(__dirname, '../../..');

describe('ingestion durability (real processes)', () => {
  it('kill -9 under load: every 2xx is stored exactly once; retries leave no duplicates and no gaps', async () => {
    const db: TestDatabase = await createTestDatabase();
    let service: ServiceProcess | undefined;
    let stop = false;
    try {
      service = await startServiceProcess({
        DATABASE_URL: db.url,
        BEHAVIOR_ADMIN_KEY: ADMIN,
        LOG_LEVEL: 'warn',
      });
      const key = await createIngestKey(service.baseUrl, ADMIN);
      let base = service.baseUrl;
      const clients = Array.from({ length: 6 }, () => new SignalLoadClient(() => base, key));
      const load = clients.map((c, i) => c.run(`c${i}`, () => stop));
      await new Promise((r) => setTimeout(r, 1500));
      service.child.kill('SIGKILL');
      await service.exited;
      stop = true;
      await Promise.all(load);
      expect(clients.some((c) => c.unacked.length > 0) || clients.every((c) => c.acked.size > 0)).toBe(true);

      service = await startServiceProcess({
        DATABASE_URL: db.url,
        BEHAVIOR_ADMIN_KEY: ADMIN,
        LOG_LEVEL: 'warn',
      });
      base = service.baseUrl;
      await Promise.all(clients.map((c) => c.retryUntilAcked(60_000)));
      await expectExactlyOnce(db.url, clients);
    } finally {
      // A failed assertion must not leave the load loops running (they would keep Jest alive).
      stop = true;
      service?.child.kill('SIGTERM');
      await service?.exited;
      await db.drop();
    }
  });

  it('database stopped and started during ingestion: 503 with Retry-After, no crash, full recovery', async () => {
    // A PostgreSQL of its own, so stopping it does not disturb other test files.
    const distEmbedded = join(root, 'dist/apps/api/src/database/embedded-postgres.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmbeddedPostgres } = require(
      distEmbedded,
    ) as typeof import('../src/database/embedded-postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'behavior-restart-pg-'));
    let pg = await startEmbeddedPostgres({ dataDir, persistent: true, unsafeFast: true });
    const port = pg.port;
    const migrate = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/migrate.js')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url },
      encoding: 'utf8',
    });
    expect(migrate.status).toBe(0);
    let service: ServiceProcess | undefined;
    let stop = false;
    try {
      service = await startServiceProcess({
        DATABASE_URL: pg.url,
        BEHAVIOR_ADMIN_KEY: ADMIN,
        LOG_LEVEL: 'warn',
      });
      const key = await createIngestKey(service.baseUrl, ADMIN);
      const clients = Array.from({ length: 4 }, () => new SignalLoadClient(() => service!.baseUrl, key));
      const load = clients.map((c, i) => c.run(`d${i}`, () => stop));
      await new Promise((r) => setTimeout(r, 1000));
      await pg.stop();
      await new Promise((r) => setTimeout(r, 1500));
      const down = await fetch(`${service.baseUrl}/api/ai-behavior/signals/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          signals: [{ schemaId: 'content.view', userId: 'u', attributes: { contentId: 'x' } }],
        }),
      });
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await down.json()) as { code: string }).code).toBe('database_unavailable');
      pg = await startEmbeddedPostgres({ dataDir, port, persistent: true, unsafeFast: true });
      await new Promise((r) => setTimeout(r, 1000));
      stop = true;
      await Promise.all(load);
      await Promise.all(clients.map((c) => c.retryUntilAcked(60_000)));

      const statuses = new Set(clients.flatMap((c) => [...c.statuses.keys()]));
      expect([...statuses].filter((s) => s >= 500 && s !== 503)).toEqual([]);
      expect(service.child.exitCode).toBeNull();
      await expectExactlyOnce(pg.url, clients);
    } finally {
      // A failed assertion must not leave the load loops running (they would keep Jest alive).
      stop = true;
      service?.child.kill('SIGTERM');
      await service?.exited;
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
