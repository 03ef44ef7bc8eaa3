/*
 * Ingestion over HTTP against the machine's physical limit. The built service runs as its own
 * process (dist/apps/api/src/main.js) on the embedded PostgreSQL with durable settings as
 * shipped (fsync and synchronous_commit on); this process is only the load generator
 * (autocannon, keep-alive connections on 127.0.0.1) and the referee. In the same run, `psql
 * \copy` loads the same rows into the same table, before and after the HTTP phases; the
 * faster of the two is the baseline the service is measured against.
 *
 * Env: BENCH_SECONDS (30) measured seconds per phase, BENCH_WARMUP_SECONDS (5),
 * BENCH_BATCH_SIZE (500), BENCH_BATCH_CONNECTIONS (4), BENCH_SINGLE_CONNECTIONS (64),
 * BENCH_COPY_ROWS (500,000), BENCH_PHASES (batch,single), BENCH_UNSAFE_FAST=1 (fsync off:
 * not the number to report), BENCH_CPU_PROF=<dir> (service runs with --cpu-prof),
 * BENCH_PSQL (/usr/bin/psql), BENCH_ROLE (api; `all`: the default start, projecting beside).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { createTenantKey } from './bench-tenant.client.js';
import { runPsqlCopy, writeCopyFile, type CopyResult } from './copy-baseline.runner.js';
import { percentile, runLoad, type LoadResult } from './http-load.runner.js';
import { cpuSeconds, ownCpuSeconds } from './process-cpu.meter.js';
import { launchService, type LaunchedService } from './service-process.launcher.js';
import { batchJson, signalJson } from './signal-payload.factory.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 500);
const BATCH_CONNECTIONS = Number(process.env.BENCH_BATCH_CONNECTIONS ?? 4);
const SINGLE_CONNECTIONS = Number(process.env.BENCH_SINGLE_CONNECTIONS ?? 64);
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 500_000);
const PHASES = (process.env.BENCH_PHASES ?? 'batch,single').split(',').map((p) => p.trim());
const UNSAFE_FAST = process.env.BENCH_UNSAFE_FAST === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const PSQL = process.env.BENCH_PSQL ?? '/usr/bin/psql';
// `api` (default): the service serves only; `all`: the default start, with its worker process projecting.
const ROLE = process.env.BENCH_ROLE === 'all' ? 'all' : 'api';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const TENANT = 'bench';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface PhaseReport {
  readonly name: string;
  readonly signalsPerRequest: number;
  readonly connections: number;
  readonly load: LoadResult;
  readonly signalsPerSecond: number;
  /** Cores used during the measured window (CPU seconds / wall seconds). */
  readonly cores: { bench: number; service: number; postgres: number };
  readonly prefix: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      console.error('cleanup:', error);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

async function main(): Promise<void> {
  const load = loadavg();
  console.log(
    `ingest bench: Node ${process.version}, ${cpus().length} vCPUs, load average ${load.map((l) => l.toFixed(2)).join(' ')}; ` +
      `processing.role ${ROLE}; ${SECONDS} s per phase after ${WARMUP_SECONDS} s warm-up; PostgreSQL ${UNSAFE_FAST ? 'fsync=off (NOT durable)' : 'durable (fsync on, synchronous_commit on)'}`,
  );
  const work = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  // As root the cluster runs as the `postgres` OS user, which must be able to reach it.
  chmodSync(work, 0o755);
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));

  const postgres: RunningPostgres = await startEmbeddedPostgres({
    dataDir: join(work, 'pg'),
    persistent: false,
    unsafeFast: UNSAFE_FAST,
  });
  cleanups.push(() => postgres.stop());
  const postmasterPid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  const migrate = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/migrate.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: postgres.url },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrate failed:\n${migrate.stdout}${migrate.stderr}`);

  // The per-key rate limit (2,000 requests/s by default) would cap the bench, not the service.
  // BENCH_ROLE=all measures the default start, whose worker process projects while it ingests.
  const configFile = join(work, 'bench-config.yaml');
  writeFileSync(
    configFile,
    [
      'ai:',
      '  behavior:',
      '    ingestion:',
      '      rateLimit:',
      '        enabled: false',
      '    processing:',
      `      role: ${ROLE}`,
      '',
    ].join('\n'),
  );
  const service: LaunchedService = await launchService({
    script: join(root, 'dist/apps/api/src/main.js'),
    cwd: root,
    nodeArgs: CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF_DIR)}`] : [],
    env: {
      DATABASE_URL: postgres.url,
      BEHAVIOR_ADMIN_KEY: ADMIN_KEY,
      BEHAVIOR_CONFIG: configFile,
      BEHAVIOR_DATA_DIR: join(work, 'data'),
      LOG_LEVEL: 'warn',
    },
  });
  cleanups.push(() => service.stop());
  const apiKey = await createTenantKey(service.baseUrl, ADMIN_KEY, TENANT, ['ingest']);

  const db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  cleanups.push(() => db.end());

  const copies: CopyResult[] = [];
  const copy = async (label: string) => {
    const file = join(work, `${label}.tsv`);
    await writeCopyFile(file, TENANT, label, COPY_ROWS);
    await db.query('checkpoint');
    const result = await runPsqlCopy({
      psql: PSQL,
      databaseUrl: postgres.url,
      file,
      rows: COPY_ROWS,
      postmasterPid,
    });
    copies.push(result);
    console.log(
      `psql \\copy (${label}): ${fmtInt(result.rows)} rows in ${result.seconds.toFixed(2)} s = ${fmtInt(result.rowsPerSecond)} rows/s ` +
        `(PostgreSQL ${(result.postgresCpu / result.seconds).toFixed(2)} cores, psql ${(result.psqlCpu / result.seconds).toFixed(2)})`,
    );
  };

  let counter = 0;
  const phase = async (
    name: string,
    size: number,
    connections: number,
    path: string,
  ): Promise<PhaseReport> => {
    const body = (prefix: string) => () => {
      const timestamp = new Date().toISOString();
      const first = counter;
      counter += size;
      return size === 1 ? signalJson(prefix, first, timestamp) : batchJson(prefix, first, size, timestamp);
    };
    const url = `${service.baseUrl}${path}`;
    if (WARMUP_SECONDS > 0) {
      await runLoad({
        title: `${name} warm-up`,
        url,
        apiKey,
        connections,
        seconds: WARMUP_SECONDS,
        body: body(`w${name}`),
      });
    }
    await db.query('checkpoint');
    const before = {
      bench: ownCpuSeconds(),
      service: cpuSeconds(service.pid),
      pg: cpuSeconds(postmasterPid, true),
    };
    const result = await runLoad({
      title: name,
      url,
      apiKey,
      connections,
      seconds: SECONDS,
      body: body(name),
    });
    const cores = {
      bench: (ownCpuSeconds() - before.bench) / result.seconds,
      service: (cpuSeconds(service.pid) - before.service) / result.seconds,
      postgres: (cpuSeconds(postmasterPid, true) - before.pg) / result.seconds,
    };
    const report: PhaseReport = {
      name,
      signalsPerRequest: size,
      connections,
      load: result,
      signalsPerSecond: (result.ok * size) / result.seconds,
      cores,
      prefix: name,
    };
    const l = result.latencies;
    console.log(
      `${name}: ${fmtInt(report.signalsPerSecond)} signals/s (${fmtInt(result.ok / result.seconds)} req/s, ${connections} connections), ` +
        `p50 ${fmtMs(percentile(l, 50))} ms, p95 ${fmtMs(percentile(l, 95))} ms, p99 ${fmtMs(percentile(l, 99))} ms, max ${fmtMs(l[l.length - 1] ?? NaN)} ms; ` +
        `statuses ${JSON.stringify(Object.fromEntries(result.statuses))}, errors ${result.errors}, timeouts ${result.timeouts}; ` +
        `cores: bench ${cores.bench.toFixed(2)}, service ${cores.service.toFixed(2)}, PostgreSQL ${cores.postgres.toFixed(2)}`,
    );
    return report;
  };

  await copy('copy-before');
  const reports: PhaseReport[] = [];
  if (PHASES.includes('batch')) {
    reports.push(await phase('batch', BATCH_SIZE, BATCH_CONNECTIONS, '/api/ai-behavior/signals/batch'));
  }
  if (PHASES.includes('single')) {
    reports.push(await phase('single', 1, SINGLE_CONNECTIONS, '/api/ai-behavior/signals'));
  }
  await copy('copy-after');

  // Every acknowledged signal must be in the table (more may be: requests cut off at the end of a phase).
  const { rows } = await db.query<{ prefix: string; n: string }>(
    `select split_part(signal_key, '-', 1) as prefix, count(*) as n from behavior_signals group by 1`,
  );
  const stored = new Map(rows.map((r) => [r.prefix, Number(r.n)]));
  const acknowledged = (r: PhaseReport) =>
    r.signalsPerRequest === 1 ? (r.load.statuses.get(201) ?? 0) : r.load.ok * r.signalsPerRequest;
  for (const r of reports) {
    const n = stored.get(r.prefix) ?? 0;
    if (n < acknowledged(r))
      throw new Error(`${r.name}: ${acknowledged(r)} signals acknowledged but ${n} stored`);
  }

  const baseline = Math.max(...copies.map((c) => c.rowsPerSecond));
  const end = loadavg();
  console.log(`\nload average at the end: ${end.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`raw COPY baseline (best of ${copies.length}): ${fmtInt(baseline)} rows/s\n`);
  console.log(
    '| path | conns | signals/s | req/s | p50 ms | p95 ms | p99 ms | × COPY | cores: bench / service / PG |',
  );
  console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: |');
  for (const r of reports) {
    const l = r.load.latencies;
    console.log(
      `| ${r.name === 'batch' ? `POST /signals/batch (${r.signalsPerRequest})` : 'POST /signals (1)'} | ${r.connections} | ` +
        `${fmtInt(r.signalsPerSecond)} | ${fmtInt(r.load.ok / r.load.seconds)} | ${fmtMs(percentile(l, 50))} | ` +
        `${fmtMs(percentile(l, 95))} | ${fmtMs(percentile(l, 99))} | ${(r.signalsPerSecond / baseline).toFixed(2)} | ` +
        `${r.cores.bench.toFixed(2)} / ${r.cores.service.toFixed(2)} / ${r.cores.postgres.toFixed(2)} |`,
    );
  }
  for (const c of copies) {
    console.log(
      `| psql \\copy | 1 | ${fmtInt(c.rowsPerSecond)} | | | | | ${(c.rowsPerSecond / baseline).toFixed(2)} | ` +
        `psql ${(c.psqlCpu / c.seconds).toFixed(2)} / — / ${(c.postgresCpu / c.seconds).toFixed(2)} |`,
    );
  }
  console.log('');
  for (const r of reports) {
    const p99 = percentile(r.load.latencies, 99);
    const [rateOk, latencyOk] =
      r.name === 'batch'
        ? [r.signalsPerSecond >= 0.6 * baseline, p99 < 100]
        : [r.signalsPerSecond >= 10_000, p99 < 50];
    const rateTarget = r.name === 'batch' ? `≥ 0.6 × COPY (${fmtInt(0.6 * baseline)}/s)` : '≥ 10,000/s';
    const latencyTarget = r.name === 'batch' ? 'p99 < 100 ms' : 'p99 < 50 ms';
    console.log(
      `target ${r.name}: ${rateTarget} ${rateOk ? 'met' : 'MISSED'} (${fmtInt(r.signalsPerSecond)}/s = ${(r.signalsPerSecond / baseline).toFixed(2)} × COPY); ` +
        `${latencyTarget} ${latencyOk ? 'met' : 'MISSED'} (${fmtMs(p99)} ms)`,
    );
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
