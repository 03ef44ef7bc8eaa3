import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { SignalStreamWorker } from '@lssm/behavior-core';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '../../../test/support/test-database';
import { waitFor } from '../../../test/support/wait-for';

const root = resolve(__dirname, '../../..');

interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
}

/** Runs the built worker (`npm run start:worker`) and waits for its start-up line. */
async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [resolve(root, 'dist/apps/api/src/worker.js')], {
    cwd: root,
    // METRICS_PORT 0: a free port for the worker's /metrics, so parallel test files never collide.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${logs.join('')}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      logs.push(chunk.toString());
      if (chunk.toString().includes('behavior worker started')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`worker exited with ${code}:\n${logs.join('')}`));
    });
  });
  return { child, logs, exited };
}

function configFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'behavior-cfg-')), 'config.yaml');
  writeFileSync(file, content);
  return file;
}

const METRICS_SQL = `select tenant_id, user_id, to_char(metric_date, 'YYYY-MM-DD') d, metric_key, metric_value::text v,
  metric_type, value_sum::text s, value_count::text n, attributes::text a from behavior_signal_metrics order by 1, 2, 3, 4`;

describe('projection survives kill -9 of the worker (e2e, processes)', () => {
  let database: TestDatabase;
  let db: Client;
  const TOTAL = 30_000;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`select ensure_signal_partition('2026-11-01')`);
    // Ten transactions of 3,000 signals: 300 users, 9 days, repeated and fractional values.
    for (let t = 0; t < 10; t++) {
      await db.query(
        `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at, attributes)
         select gen_random_uuid(), 'crash', 'u' || (i % 300), 'content.view', 1,
                timestamptz '2026-11-01T10:00:00Z' + ((i % 9) || ' days')::interval, now(),
                jsonb_build_object('contentId', 'c' || (i % 37), 'durationSeconds', (i % 7) * 0.25)
           from generate_series($1::int, $1::int + 2999) i`,
        [t * 3000],
      );
    }
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('is exact after a crash mid-way and a restart (equals signal-replay from scratch)', async () => {
    const env = {
      DATABASE_URL: database.url,
      BEHAVIOR_CONFIG: configFile(
        'ai:\n  behavior:\n    metrics:\n      projection:\n        batchSize: 150\n    stream:\n      pollIntervalMs: 50\n',
      ),
    };
    const projected = async () =>
      Number(
        (
          await db.query(
            `select coalesce(sum(signals), 0)::int n from behavior_stream_checkpoints where consumer = 'metrics'`,
          )
        ).rows[0].n,
      );
    const first = await startWorker(env);
    const mid = await waitFor(projected, (n) => n >= 3000, 60_000, 5);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await projected();
    expect(mid).toBeLessThan(TOTAL);
    expect(atKill).toBeLessThan(TOTAL); // killed between batches, with work left

    const second = await startWorker(env);
    try {
      await waitFor(projected, (n) => n === TOTAL).catch(async (error) => {
        const dbg =
          await db.query(`select c.last_xid::text, c.last_seq, c.stream_partition, (select count(*) from behavior_signals s where s.stream_partition = c.stream_partition and (s.xid, s.seq) > (c.last_xid, c.last_seq)) after_cp,
           (select count(distinct xid) from behavior_signals) xids, (select min(seq)||'-'||max(seq) from behavior_signals) seqs,
           pg_snapshot_xmin(pg_current_snapshot())::text xmin,
           (select sum(metric_value) from behavior_signal_metrics where metric_key = 'engagement.signals') signals_metric from behavior_stream_checkpoints c where c.consumer = 'metrics'`);
        const per = await db.query(
          `select xid::text, count(*), min(seq), max(seq) from behavior_signals group by xid order by xid`,
        );
        throw new Error(`${String(error)}\n${JSON.stringify(dbg.rows)}\n${JSON.stringify(per.rows)}`);
      });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    const live = (await db.query(METRICS_SQL)).rows;
    const views = (
      await db.query(
        `select sum(metric_value)::int n from behavior_signal_metrics where metric_key = 'engagement.view'`,
      )
    ).rows[0].n;
    expect(views).toBe(TOTAL);

    const replay = spawnSync(
      process.execPath,
      [resolve(root, 'dist/apps/api/src/cli/signal-replay.js'), '--tenant', 'crash'],
      { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url }, encoding: 'utf8' },
    );
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ signals: TOTAL, tenantId: 'crash' });
    expect((await db.query(METRICS_SQL)).rows).toEqual(live);
  });
});

describe('partition leases move off a killed worker (e2e, two worker processes)', () => {
  let database: TestDatabase;
  let db: Client;
  const TOTAL = 40_000;
  const LEASE_TTL_MS = 3000;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`select ensure_signal_partition('2026-11-01')`);
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  // 2,000 users over every partition (the store's md5 rule, written in SQL), 8 days, one commit:
  // written once both workers hold their share, so the worker killed later still has work left
  // (projection outruns a worker's start-up when the signals are there first).
  const writeSignals = () =>
    db.query(
      `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at,
                                     attributes, stream_partition)
       select gen_random_uuid(), 'lease', 'u' || (i % 2000), 'content.view', 1,
              timestamptz '2026-11-01T10:00:00Z' + ((i % 8) || ' days')::interval, now(),
              jsonb_build_object('contentId', 'c' || (i % 41), 'durationSeconds', (i % 5) * 0.5),
              (('x' || left(md5('lease' || chr(31) || ('u' || (i % 2000))), 8))::bit(32)::bigint % 16)::smallint
         from generate_series(0, $1::int - 1) i`,
      [TOTAL],
    );

  it('the survivor takes the dead worker’s partitions within the lease time; metrics equal a replay; no partition lags', async () => {
    const env = {
      DATABASE_URL: database.url,
      BEHAVIOR_CONFIG: configFile(
        'ai:\n  behavior:\n    metrics:\n      projection:\n        batchSize: 200\n' +
          `    stream:\n      pollIntervalMs: 50\n      leaseTtlMs: ${LEASE_TTL_MS}\n      leaseRenewMs: 300\n`,
      ),
    };
    const owners = async () =>
      (
        await db.query<{ owner: string | null; n: number }>(
          `select owner, count(*)::int n from behavior_stream_partitions
            where lease_expires_at > now() group by owner order by owner`,
        )
      ).rows;
    const projected = async () =>
      Number(
        (
          await db.query(
            `select coalesce(sum(signals), 0)::int n from behavior_stream_checkpoints where consumer = 'metrics'`,
          )
        ).rows[0].n,
      );
    const first = await startWorker(env);
    const second = await startWorker(env);
    try {
      const split = await waitFor(
        owners,
        (rows) => rows.length === 2 && rows.every((r) => r.n === 8),
        30_000,
      );
      expect(split.map((r) => r.n)).toEqual([8, 8]);
      await writeSignals();
      await waitFor(projected, (n) => n >= 4000, 60_000, 5);
      first.child.kill('SIGKILL');
      await first.exited;
      const killedAt = Date.now();
      expect(await projected()).toBeLessThan(TOTAL); // killed with work left
      const taken = await waitFor(owners, (rows) => rows.length === 1 && rows[0].n === 16, 30_000, 50);
      expect(taken).toHaveLength(1);
      // Within the lease time plus two renewals (the survivor's tick) and scheduling slack.
      expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + 2 * 300 + 1500);
      await waitFor(projected, (n) => n === TOTAL, 120_000);
    } finally {
      first.child.kill('SIGKILL');
      second.child.kill('SIGTERM');
      await second.exited;
    }
    // No partition lags: each checkpoint stands on its partition's last signal.
    const { rows: lagging } = await db.query(
      `select p.stream_partition from (select stream_partition, max((xid::text)::numeric * 1e12 + seq) last
                                         from behavior_signals group by stream_partition) p
         left join behavior_stream_checkpoints c on c.consumer = 'metrics' and c.stream_partition = p.stream_partition
        where c.consumer is null or (c.last_xid::text)::numeric * 1e12 + c.last_seq <> p.last`,
    );
    expect(lagging).toEqual([]);
    const live = (await db.query(METRICS_SQL)).rows;
    expect(
      (
        await db.query(
          `select sum(metric_value)::int n from behavior_signal_metrics where metric_key = 'engagement.view'`,
        )
      ).rows[0].n,
    ).toBe(TOTAL);
    const replay = spawnSync(
      process.execPath,
      [resolve(root, 'dist/apps/api/src/cli/signal-replay.js'), '--tenant', 'lease'],
      { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url }, encoding: 'utf8' },
    );
    expect(replay.status).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ signals: TOTAL, tenantId: 'lease' });
    expect((await db.query(METRICS_SQL)).rows).toEqual(live);
  });
});

describe('worker-only and api-only processes split the work (e2e, BullMQ)', () => {
  let api: TestApp;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    const prefix = `split${randomBytes(4).toString('hex')}`;
    api = await startTestApp({
      withRedis: true,
      overrides: { ai: { behavior: { processing: { role: 'api', bullmq: { prefix } } } } },
    });
    worker = await startWorker({
      DATABASE_URL: api.database.url,
      REDIS_URL: testRedisUrl(),
      BEHAVIOR_CONFIG: configFile(
        `ai:\n  behavior:\n    processing:\n      bullmq:\n        prefix: ${prefix}\n    stream:\n      pollIntervalMs: 50\n`,
      ),
    });
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await api?.close();
  });

  it('the api process serves and enqueues; the worker projects and runs the jobs', async () => {
    expect(api.app.get(SignalStreamWorker).isRunning).toBe(false);
    const ingestKey = await createTenantWithKey(api, 'acme', ['ingest']);
    const readKey = await createTenantWithKey(api, 'acme', ['read']);
    const res = await api.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: { schemaId: 'content.view', userId: 'split-1', attributes: { contentId: 'a' } },
    });
    expect(res.status).toBe(201);
    // Projected by the worker process (the api process runs no projection).
    await waitFor(
      () =>
        api.request('GET', '/api/ai-behavior/users/split-1/metrics?metricKey=engagement.signals', {
          key: readKey,
        }),
      (r) => r.body?.metrics?.[0]?.metricValue === 1,
    );
    const run = await api.request('POST', '/api/ai-behavior/jobs/segmentation/run', { key: TEST_ADMIN_KEY });
    expect(run.body).toMatchObject({ status: 'completed', result: { users: 1, segments: { new: 1 } } });
    const list = await api.request('GET', '/api/ai-behavior/jobs', { key: TEST_ADMIN_KEY });
    expect(list.body.runnerType).toBe('bullmq');
    expect(list.body.tasks.find((t: any) => t.id === 'segmentation').lastRun).toMatchObject({
      status: 'completed',
    });
    expect(worker!.logs.join('')).toContain('consumers metrics (transactional)');
  });
});
