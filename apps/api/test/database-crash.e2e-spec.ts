import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createIngestKey, expectExactlyOnce } from '../../../test/support/ingest-durability.checks';
import { startServiceProcess, type ServiceProcess } from '../../../test/support/service-process';
import { SignalLoadClient } from '../../../test/support/signal-load.client';

const ADMIN = 'crash-admin-key-0123456789abcdef';
const root = resolve(__dirname, '../../..');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(ok: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const postBatch = (baseUrl: string, key: string, signalKey: string) =>
  fetch(`${baseUrl}/api/ai-behavior/signals/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      signals: [{ schemaId: 'content.view', userId: 'probe', signalKey, attributes: { contentId: 'x' } }],
    }),
  });

// The cluster runs with the settings the service ships (fsync and synchronous_commit on, as
// embedded-postgres.ts starts it without unsafeFast), and PostgreSQL itself crashes: the
// postmaster gets SIGKILL mid-ingestion, with no shutdown checkpoint. Crash recovery must
// replay every commit the service acknowledged.
describe('database crash (real processes, durable cluster)', () => {
  it('postmaster SIGKILL during ingestion: 503 while down, then every acknowledged signal exactly once', async () => {
    const distEmbedded = join(root, 'dist/apps/api/src/database/embedded-postgres.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmbeddedPostgres } = require(
      distEmbedded,
    ) as typeof import('../src/database/embedded-postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'behavior-crash-pg-'));
    let pg = await startEmbeddedPostgres({ dataDir, persistent: true });
    const port = pg.port;
    let service: ServiceProcess | undefined;
    let stop = false;
    try {
      const check = new Client({ connectionString: pg.url });
      await check.connect();
      const settings = await check.query<{ name: string; setting: string }>(
        `select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes') order by name`,
      );
      await check.end();
      expect(settings.rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'full_page_writes', setting: 'on' },
        { name: 'synchronous_commit', setting: 'on' },
      ]);
      const migrate = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/migrate.js')], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: pg.url },
        encoding: 'utf8',
      });
      expect(migrate.status).toBe(0);

      service = await startServiceProcess({
        DATABASE_URL: pg.url,
        BEHAVIOR_ADMIN_KEY: ADMIN,
        LOG_LEVEL: 'warn',
      });
      const key = await createIngestKey(service.baseUrl, ADMIN);
      const clients = Array.from({ length: 4 }, () => new SignalLoadClient(() => service!.baseUrl, key));
      const load = clients.map((c, i) => c.run(`k${i}`, () => stop));
      await waitUntil(() => clients.every((c) => c.acked.size >= 100), 20_000);

      // The postmaster and its children (backends, checkpointer, WAL writer) as they are now.
      const postmaster = Number.parseInt(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8'), 10);
      const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((l) => Number.parseInt(l, 10))
        .filter((pid) => Number.isInteger(pid));
      expect(children.length).toBeGreaterThan(0);
      const ackedBeforeCrash = clients.reduce((n, c) => n + c.acked.size, 0);
      process.kill(postmaster, 'SIGKILL');
      expect(await waitUntil(() => !isAlive(postmaster), 5_000)).toBe(true);
      // Orphaned backends notice the postmaster's death and exit; the rest of a crashed machine
      // would be gone too, so any that linger are killed the same way.
      if (!(await waitUntil(() => children.every((pid) => !isAlive(pid)), 5_000))) {
        for (const pid of children.filter(isAlive)) process.kill(pid, 'SIGKILL');
        expect(await waitUntil(() => children.every((pid) => !isAlive(pid)), 5_000)).toBe(true);
      }

      // Down: the service stays up and answers 503 database_unavailable with Retry-After.
      const down = await postBatch(service.baseUrl, key, 'probe-down');
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await down.json()) as { code: string }).code).toBe('database_unavailable');
      expect(service.child.exitCode).toBeNull();

      // Restart on the same directory and port: crash recovery replays the WAL.
      pg = await startEmbeddedPostgres({ dataDir, port, persistent: true });
      expect(pg.adopted).toBe(false);
      // Accepting again: a new signal is acknowledged (and, below, stored exactly once).
      let recovered = false;
      for (const until = Date.now() + 30_000; !recovered && Date.now() < until;) {
        recovered = (await postBatch(service.baseUrl, key, 'probe-up')).status === 200;
        if (!recovered) await new Promise((r) => setTimeout(r, 200));
      }
      expect(recovered).toBe(true);
      stop = true;
      await Promise.all(load);
      await Promise.all(clients.map((c) => c.retryUntilAcked(60_000)));

      expect(ackedBeforeCrash).toBeGreaterThanOrEqual(400);
      const statuses = new Set(clients.flatMap((c) => [...c.statuses.keys()]));
      expect([...statuses].filter((s) => s >= 500 && s !== 503)).toEqual([]);
      expect(service.child.exitCode).toBeNull();
      await expectExactlyOnce(pg.url, clients, ['probe-up']);
    } finally {
      // A failed assertion must not leave the load loops running (they would keep Jest alive).
      stop = true;
      service?.child.kill('SIGTERM');
      await service?.exited;
      await pg.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
