/*
 * Pipeline: batch ingestion over HTTP at stepped offered rates while the signal stream's consumers
 * (metric projection) keep up, on one durable embedded PostgreSQL (fsync and synchronous_commit on):
 *   all-in-one  `main.js` with the defaults (role all: the API and its worker process),
 *   api+1w      `main.js` with role api beside one `worker.js`,
 *   api+2w      the same beside two `worker.js`.
 * Shapes: `live` (timestamps within the last 5 minutes, 100,000 users, skewed: a few users send most)
 * and `backfill` (timestamps over 30 days). A step is sustained when at least 95% of the offered rate
 * was ingested and the projection lag p95 stayed under 2 s. Baseline: `psql \copy` of the same rows
 * into the same table in the same run. The load generator is this process (open loop, batches of 500).
 *
 * Env: BENCH_RATES (5000,10000,20000), BENCH_STEP_SECONDS (20), BENCH_TOPOLOGIES
 * (all-in-one,api+1w,api+2w), BENCH_SHAPES (live,backfill), BENCH_COPY_ROWS (200,000), BENCH_PSQL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { runPsqlCopy, writeCopyFile } from './copy-baseline.runner.js';
import { cpuSeconds } from './process-cpu.meter.js';
import { launchService, type LaunchedService } from './service-process.launcher.js';

const RATES = (process.env.BENCH_RATES ?? '5000,10000,20000').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 20);
const TOPOLOGIES = (process.env.BENCH_TOPOLOGIES ?? 'all-in-one,api+1w,api+2w').split(',');
const SHAPES = (process.env.BENCH_SHAPES ?? 'live,backfill').split(',') as Shape[];
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 200_000);
const PSQL = process.env.BENCH_PSQL ?? '/usr/bin/psql';
const BATCH = 500;
const USERS = 100_000;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const TENANT = 'bench';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Shape = 'live' | 'backfill';

interface StepResult {
  readonly offered: number;
  readonly achieved: number;
  readonly lag: { p50: number; p95: number; p99: number };
  readonly cpu: Record<string, number>;
  readonly sustained: boolean;
}

const pct = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** A skewed user: the square of a uniform draw puts most signals on the first few thousand users. */
function batchBody(shape: Shape, seq: { n: number }): string {
  const now = Date.now();
  const parts: string[] = new Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    const n = seq.n++;
    const user = Math.floor(USERS * Math.random() ** 2);
    const age = shape === 'live' ? Math.random() * 300_000 : Math.random() * 30 * 86_400_000;
    parts[i] =
      `{"schemaId":"content.view","signalKey":"p${n}","userId":"u${user}","sessionId":"s${user % 50_000}",` +
      `"timestamp":"${new Date(now - age).toISOString()}","attributes":{"contentId":"c${n % 5000}",` +
      `"durationSeconds":${(n % 600) + 0.5}}}`;
  }
  return `{"signals":[${parts.join(',')}]}`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  // PostgreSQL runs as an unprivileged user when this runs as root: it must reach its data directory.
  chmodSync(work, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false });
  const postmasterPid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const processes: { stop(): Promise<void> }[] = [];
  try {
    const migrate = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/migrate.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: postgres.url },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`migrate failed:\n${migrate.stdout}${migrate.stderr}`);
    const db = new pg.Client({ connectionString: postgres.url });
    // Stopping PostgreSQL at the end (or after a failure) ends this session: not an error to crash on.
    db.on('error', () => undefined);
    await db.connect();

    // The service creates month partitions as signals need them; COPY needs this one up front.
    await db.query(`select ensure_signal_partition(date_trunc('month', current_date)::date)`);
    const file = join(work, 'copy.tsv');
    await writeCopyFile(file, TENANT, 'copy', COPY_ROWS);
    await db.query('checkpoint');
    const copy = await runPsqlCopy({
      psql: PSQL,
      databaseUrl: postgres.url,
      file,
      rows: COPY_ROWS,
      postmasterPid,
    });
    console.log(
      `pipeline bench: durable embedded PostgreSQL; baseline psql \\copy ${int(copy.rows)} rows = ${int(copy.rowsPerSecond)} rows/s`,
    );
    console.log(
      `offered rates ${RATES.map(int).join(', ')} signals/s, ${STEP_SECONDS} s each, batches of ${BATCH}, ${int(USERS)} users (skewed)`,
    );

    let apiKey: string | undefined;
    for (const shape of SHAPES) {
      for (const topology of TOPOLOGIES) {
        await reset(db);
        const started = await startTopology(topology, postgres.url, work);
        processes.push(started);
        await waitForLeases(db);
        apiKey ??= await createIngestKey(started.api.baseUrl);
        const results: StepResult[] = [];
        for (const rate of RATES) {
          const step = await runStep(started, db, postmasterPid, apiKey, shape, rate);
          results.push(step);
          const cpu = Object.entries(step.cpu)
            .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
            .join(', ');
          console.log(
            `${shape.padEnd(8)} ${topology.padEnd(10)} offered ${int(rate).padStart(6)}/s: ingested ${int(step.achieved).padStart(6)}/s ` +
              `(${((step.achieved / copy.rowsPerSecond) * 100).toFixed(0)}% of COPY), lag p50 ${step.lag.p50.toFixed(2)} s ` +
              `p95 ${step.lag.p95.toFixed(2)} s p99 ${step.lag.p99.toFixed(2)} s; cores: ${cpu}` +
              (step.sustained ? '' : '  [not sustained]'),
          );
          if (!step.sustained) break;
        }
        const best = results.filter((r) => r.sustained).at(-1);
        console.log(
          `${shape.padEnd(8)} ${topology.padEnd(10)} sustained end to end: ${best ? `${int(best.offered)} signals/s` : 'none of the offered rates'}`,
        );
        await started.stop();
      }
    }
    await db.end();
  } finally {
    for (const p of processes) await p.stop().catch(() => undefined);
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Empties what the previous run wrote; the stream starts over with fresh checkpoints and leases. */
async function reset(db: pg.Client): Promise<void> {
  await db.query(
    `truncate behavior_signals, behavior_signal_keys, behavior_metric_days, behavior_signal_metric_values,
              behavior_stream_checkpoints, behavior_stream_partitions, behavior_stream_workers, failed_signals`,
  );
  await db.query('checkpoint');
}

interface Topology {
  readonly api: LaunchedService;
  /** Processes whose CPU is reported, by name (the all-in-one's worker process found as its child). */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

async function startTopology(name: string, databaseUrl: string, work: string): Promise<Topology> {
  const workers = name === 'all-in-one' ? 0 : Number(/api\+(\d+)w/.exec(name)?.[1] ?? 1);
  const config = join(work, `${name}.yaml`);
  writeFileSync(
    config,
    [
      'ai:',
      '  behavior:',
      '    ingestion:',
      '      rateLimit:',
      '        enabled: false',
      '      maxQueuedSignals: 100000',
      '    stream:',
      '      pollIntervalMs: 100',
      '      leaseTtlMs: 6000',
      '      leaseRenewMs: 1000',
      '    processing:',
      `      role: ${workers === 0 ? 'all' : 'api'}`,
      '',
    ].join('\n'),
  );
  const env = {
    DATABASE_URL: databaseUrl,
    BEHAVIOR_ADMIN_KEY: ADMIN_KEY,
    BEHAVIOR_CONFIG: config,
    BEHAVIOR_DATA_DIR: join(work, 'data'),
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
  };
  const api = await launchService({ script: join(root, 'dist/apps/api/src/main.js'), cwd: root, env });
  const children: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) children.push(await startWorker(env));
  return {
    api,
    pids: () => {
      const pids: Record<string, number> = { api: api.pid };
      if (workers === 0) {
        const child = spawnSync('pgrep', ['-P', String(api.pid)], { encoding: 'utf8' }).stdout.trim();
        if (child) pids.worker = Number(child.split('\n')[0]);
      }
      children.forEach((c, i) => (pids[`worker${i + 1}`] = c.pid!));
      return pids;
    },
    stop: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((done) => {
              if (c.exitCode !== null) return done();
              c.once('exit', () => done());
              c.kill('SIGTERM');
            }),
        ),
      );
      await api.stop();
    },
  };
}

/**
 * Steps start once workers hold every partition: the all-in-one start's worker process boots after
 * its API listens, and its start-up is not what a step measures.
 */
async function waitForLeases(db: pg.Client): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await db.query<{ owned: number; total: number }>(
      `select count(*) filter (where owner is not null and lease_expires_at > now())::int as owned,
              count(*)::int as total
         from behavior_stream_partitions`,
    );
    if (rows[0].total > 0 && rows[0].owned === rows[0].total) return;
    if (Date.now() > deadline)
      throw new Error(`workers hold ${rows[0].owned} of ${rows[0].total} partitions`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'dist/apps/api/src/worker.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('behavior worker started')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  });
  child.stdout!.resume();
  return child;
}

async function runStep(
  topology: Topology,
  db: pg.Client,
  postmasterPid: number,
  apiKey: string,
  shape: Shape,
  rate: number,
): Promise<StepResult> {
  const pids = topology.pids();
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
  const pgBefore = cpuSeconds(postmasterPid, true);
  const seq = { n: Date.now() * 1000 };
  const lags: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lags.push(await projectionLag(db));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const url = `${topology.api.baseUrl}/api/ai-behavior/signals/batch`;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const batchesPerTick = rate / BATCH / 10;
  const inflight = new Set<Promise<void>>();
  let accepted = 0;
  let owed = 0;
  const started = performance.now();
  while (performance.now() - started < STEP_SECONDS * 1000) {
    owed += batchesPerTick;
    for (; owed >= 1; owed--) {
      // Open loop, but bounded: past 64 requests in flight the service is not keeping up anyway.
      if (inflight.size >= 64) continue;
      const p = fetch(url, { method: 'POST', headers, body: batchBody(shape, seq) })
        .then(async (r) => {
          if (r.ok) accepted += ((await r.json()) as { accepted?: number }).accepted ?? BATCH;
          else await r.body?.cancel();
        })
        .catch(() => undefined)
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) cpu[name] = (cpuSeconds(pid) - cpuBefore[name]) / seconds;
  cpu.postgres = (cpuSeconds(postmasterPid, true) - pgBefore) / seconds;
  const achieved = accepted / seconds;
  const lag = { p50: pct(lags, 50), p95: pct(lags, 95), p99: pct(lags, 99) };
  // Catch up before the next step, so each step starts without a backlog.
  const until = Date.now() + 120_000;
  while ((await projectionLag(db)) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  return { offered: rate, achieved, lag, cpu, sustained: achieved >= rate * 0.95 && lag.p95 < 2 };
}

/** Age of the oldest committed signal the metric projection has not taken yet, over every partition. */
async function projectionLag(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ lag: number | null }>(
    `select max(extract(epoch from clock_timestamp() - s.ingested_at))::float8 as lag
       from behavior_stream_partitions p
       left join behavior_stream_checkpoints c on c.consumer = 'metrics' and c.stream_partition = p.stream_partition
      cross join lateral (select ingested_at from behavior_signals b
                           where b.stream_partition = p.stream_partition
                             and (b.xid, b.seq) > (coalesce(c.last_xid, '0'::xid8), coalesce(c.last_seq, 0))
                           order by b.xid, b.seq limit 1) s`,
  );
  return rows[0]?.lag ?? 0;
}

async function createIngestKey(baseUrl: string): Promise<string> {
  const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
  await fetch(`${baseUrl}/api/admin/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ id: TENANT, name: TENANT }),
  });
  const key = await fetch(`${baseUrl}/api/admin/tenants/${TENANT}/api-keys`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ scopes: ['ingest'] }),
  });
  if (key.status !== 201) throw new Error(`creating the key: ${key.status} ${await key.text()}`);
  return ((await key.json()) as { key: string }).key;
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
