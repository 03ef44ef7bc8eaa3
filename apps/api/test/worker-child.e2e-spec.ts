import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startServiceProcess, type ServiceProcess } from '../../../test/support/service-process';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';

const ADMIN = 'worker-child-admin-key-0123456789';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function configFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'behavior-cfg-')), 'config.yaml');
  writeFileSync(file, content);
  return file;
}

/** The worker process ids holding live stream leases, from their worker ids (host:pid:nonce). */
async function leaseHolderPids(db: Client): Promise<number[]> {
  const { rows } = await db.query<{ owner: string }>(
    `select distinct owner from behavior_stream_partitions where lease_expires_at > now() and owner is not null`,
  );
  return rows.map((r) => Number(r.owner.split(':')[1]));
}

// The default all-in-one start: consumers and job workers run in a worker process the service
// starts, so they never share the API's event loop.
describe('role all, workerProcess child (e2e, real processes)', () => {
  let database: TestDatabase;
  let db: Client;
  let service: ServiceProcess | undefined;
  // Every service started, so a failing test leaves no process behind to hold Jest open.
  const started: ServiceProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const next = await startServiceProcess(env);
    started.push(next);
    return next;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    for (const { child } of started) child.kill('SIGKILL');
    await db?.end();
    await database?.drop();
  });

  it("projects in a supervised child process woken by the API's ingestion, restarts it when it dies, and takes it down on SIGTERM and SIGKILL", async () => {
    service = await start({
      DATABASE_URL: database.url,
      BEHAVIOR_ADMIN_KEY: ADMIN,
      // Polling once a minute: only the API's ingestion notice can wake the worker in time.
      BEHAVIOR_CONFIG: configFile('ai:\n  behavior:\n    stream:\n      pollIntervalMs: 60000\n'),
    });
    const apiPid = service.child.pid!;
    const [workerPid] = await waitFor(
      () => leaseHolderPids(db),
      (pids) => pids.length === 1,
      30_000,
    );
    expect(workerPid).not.toBe(apiPid);
    expect(alive(workerPid)).toBe(true);

    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    await fetch(`${service.baseUrl}/api/admin/tenants`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: 'acme' }),
    });
    const created = await fetch(`${service.baseUrl}/api/admin/tenants/acme/api-keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ scopes: ['ingest', 'read'] }),
    }).then((r) => r.json() as Promise<{ key: string }>);
    const key = { authorization: `Bearer ${created.key}`, 'content-type': 'application/json' };
    const ingest = await fetch(`${service.baseUrl}/api/ai-behavior/signals`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ schemaId: 'content.view', userId: 'u-1', attributes: { contentId: 'a' } }),
    });
    expect(ingest.status).toBe(201);
    await waitFor(
      () =>
        fetch(`${service!.baseUrl}/api/ai-behavior/users/u-1/metrics?metricKey=engagement.signals`, {
          headers: key,
        }).then((r) => r.json() as Promise<{ metrics: { metricValue: number }[] }>),
      (body) => body.metrics?.[0]?.metricValue === 1,
      15_000,
    );
    // Both processes together stay within database.poolSize (20): the worker's share is taken out.
    const { rows: sessions } = await db.query<{ n: number }>(
      `select count(*)::int n from pg_stat_activity
        where application_name = 'lssm-behavior' and datname = current_database()`,
    );
    expect(sessions[0].n).toBeGreaterThan(0);
    expect(sessions[0].n).toBeLessThanOrEqual(20);
    // The API process reports the stream from the database, though it runs no consumer itself.
    const metrics = await fetch(`${service.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/behavior_stream_lag\{[^}]*consumer="metrics"/);

    // A worker that dies is started again; its leases move to the new one.
    process.kill(workerPid, 'SIGKILL');
    const [restarted] = await waitFor(
      () => leaseHolderPids(db),
      (pids) => pids.length === 1 && pids[0] !== workerPid,
      60_000,
    );
    expect(alive(restarted)).toBe(true);

    // SIGTERM of the API stops the worker too; SIGKILL of the API leaves no orphan either.
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await waitFor(
      async () => alive(restarted),
      (up) => !up,
      20_000,
    );

    service = await start({ DATABASE_URL: database.url, BEHAVIOR_ADMIN_KEY: ADMIN });
    const [second] = await waitFor(
      () => leaseHolderPids(db),
      (pids) => pids.length === 1 && alive(pids[0]),
      60_000,
    );
    service.child.kill('SIGKILL');
    await service.exited;
    await waitFor(
      async () => alive(second),
      (up) => !up,
      20_000,
    );
  });
  it('a worker still starting when the service is killed stops too (no orphan)', async () => {
    service = await start({ DATABASE_URL: database.url, BEHAVIOR_ADMIN_KEY: ADMIN });
    // The worker is spawned right after the API listens: catch it before it has finished starting.
    const children = await waitFor(
      () => {
        try {
          return execFileSync('pgrep', ['-P', String(service!.child.pid)], { encoding: 'utf8' })
            .trim()
            .split('\n')
            .map(Number);
        } catch {
          return [];
        }
      },
      (pids) => pids.length > 0,
      10_000,
      10,
    );
    service.child.kill('SIGKILL');
    await service.exited;
    for (const pid of children)
      await waitFor(
        async () => alive(pid),
        (up) => !up,
        20_000,
      );
  });
});
