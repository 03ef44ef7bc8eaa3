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
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { createTenantKey } from './bench-tenant.client.js';
import { runPsqlCopy, writeCopyFile } from './copy-baseline.runner.js';
import { skewedBatchJson, type TrafficShape } from './signal-payload.factory.js';
import { runOfferedStep, type StepResult } from './offered-load.runner.js';
import { resetStream, startTopology, waitForLeases } from './stream-topology.launcher.js';

const RATES = (process.env.BENCH_RATES ?? '5000,10000,20000').split(',').map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 20);
const TOPOLOGIES = (process.env.BENCH_TOPOLOGIES ?? 'all-in-one,api+1w,api+2w').split(',');
const SHAPES = (process.env.BENCH_SHAPES ?? 'live,backfill').split(',') as TrafficShape[];
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 200_000);
const PSQL = process.env.BENCH_PSQL ?? '/usr/bin/psql';
const BATCH = 500;
const USERS = 100_000;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const TENANT = 'bench';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const int = (n: number) => Math.round(n).toLocaleString('en-US');

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
        await resetStream(db);
        const started = await startTopology({
          name: topology,
          root,
          databaseUrl: postgres.url,
          work,
          adminKey: ADMIN_KEY,
        });
        processes.push(started);
        await waitForLeases(db);
        apiKey ??= await createTenantKey(started.api.baseUrl, ADMIN_KEY, TENANT, ['ingest']);
        const results: StepResult[] = [];
        for (const rate of RATES) {
          const seq = { n: Date.now() * 1000 };
          const step = await runOfferedStep({
            topology: started,
            db,
            postmasterPid,
            apiKey,
            rate,
            seconds: STEP_SECONDS,
            body: () => skewedBatchJson(shape, seq, BATCH, USERS),
            batchSize: BATCH,
            consumers: ['metrics'],
          });
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

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
