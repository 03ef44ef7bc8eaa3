/*
 * Sinks: the sustained end-to-end rate with PostgreSQL plus a redis-streams and an s3 sink, as a
 * ratio of the PostgreSQL-only rate in the same run. End to end means ingested over HTTP (batches
 * of 500, open loop) and taken by every stream consumer: metric projection alone for the baseline,
 * projection and both sinks for the other. A rate is sustained when at least 95% of it was ingested
 * and the slowest consumer's lag p95 stayed under 2 s. Each configuration climbs from BENCH_START
 * doubling until a rate is not sustained, then bisects BENCH_BISECT times between the last rate
 * that held and the first that did not. Everything runs on this machine: durable embedded
 * PostgreSQL (fsync on), redis-server (append-only file, fsync every second), s3rver (files on
 * disk), the service and the load generator share its cores.
 *
 * With BENCH_ROUNDS above 1 the configurations run again in turn, the order reversed each round (so
 * a machine that gets busier or quieter over the run favours neither), and the ratio is of the means.
 *
 * Env: BENCH_TOPOLOGY (api+1w; or all-in-one, api+2w), BENCH_START (2000), BENCH_BISECT (3),
 * BENCH_STEP_SECONDS (15), BENCH_SHAPE (live or backfill), BENCH_ROUNDS (2).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { createTenantKey } from './bench-tenant.client.js';
import { runOfferedStep, type StepResult } from './offered-load.runner.js';
import { startRedisServer, startS3Server, type SinkServer } from './sink-servers.launcher.js';
import { skewedBatchJson, type TrafficShape } from './signal-payload.factory.js';
import { resetStream, startTopology, waitForLeases } from './stream-topology.launcher.js';

const TOPOLOGY = process.env.BENCH_TOPOLOGY ?? 'api+1w';
const START = Number(process.env.BENCH_START ?? 2000);
const BISECT = Number(process.env.BENCH_BISECT ?? 3);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 15);
const SHAPE = (process.env.BENCH_SHAPE ?? 'live') as TrafficShape;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const BATCH = 500;
const USERS = 100_000;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const TENANT = 'bench';
const BUCKET = 'behavior';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const int = (n: number) => Math.round(n).toLocaleString('en-US');

interface Configuration {
  readonly name: string;
  readonly consumers: readonly string[];
  readonly behaviorYaml: readonly string[];
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-sinks-'));
  // PostgreSQL runs as an unprivileged user when this runs as root: it must reach its data directory.
  chmodSync(work, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), persistent: false });
  const postmasterPid = Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const servers: SinkServer[] = [];
  try {
    const migrate = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/migrate.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATABASE_URL: postgres.url },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`migrate failed:\n${migrate.stdout}${migrate.stderr}`);
    const redis = await startRedisServer();
    servers.push(redis);
    const s3 = await startS3Server(root, BUCKET);
    servers.push(s3);
    const db = new pg.Client({ connectionString: postgres.url });
    // Stopping PostgreSQL at the end (or after a failure) ends this session: not an error to crash on.
    db.on('error', () => undefined);
    await db.connect();

    const configurations: Configuration[] = [
      { name: 'postgres only', consumers: ['metrics'], behaviorYaml: [] },
      {
        name: 'postgres + redis-streams + s3',
        consumers: ['metrics', 'sink:stream', 'sink:lake'],
        behaviorYaml: [
          '    sinks:',
          '      - name: stream',
          '        type: redis-streams',
          `        url: ${redis.url}`,
          '        maxLen: 1000000',
          '      - name: lake',
          '        type: s3',
          `        bucket: ${BUCKET}`,
          '        prefix: signals/',
          `        endpoint: ${s3.url}`,
          '        region: us-east-1',
          '        forcePathStyle: true',
          '        credentials: { accessKeyId: S3RVER, secretAccessKey: S3RVER }',
          '        batchSize: 10000',
          // Objects of up to a second of a partition's signals: well under the 2 s lag bound.
          '        flush: { maxAgeMs: 1000 }',
        ],
      },
    ];
    console.log(
      `sinks bench: ${TOPOLOGY}, ${SHAPE} traffic, ${int(USERS)} users (skewed), batches of ${BATCH}, ${STEP_SECONDS} s per rate; ` +
        `durable embedded PostgreSQL, redis-server (aof everysec), s3rver, all on this machine`,
    );
    const sustained = new Map<string, number[]>(configurations.map((c) => [c.name, []]));
    const order = (round: number) => (round % 2 === 0 ? configurations : [...configurations].reverse());
    for (let round = 0; round < ROUNDS; round++)
      for (const configuration of order(round)) {
        await resetStream(db);
        const topology = await startTopology({
          name: TOPOLOGY,
          root,
          databaseUrl: postgres.url,
          work,
          adminKey: ADMIN_KEY,
          behaviorYaml: configuration.behaviorYaml,
        });
        try {
          await waitForLeases(db);
          const apiKey = await createTenantKey(topology.api.baseUrl, ADMIN_KEY, TENANT, ['ingest']);
          const seq = { n: Date.now() * 1000 };
          const step = async (rate: number): Promise<StepResult> => {
            const result = await runOfferedStep({
              topology,
              db,
              postmasterPid,
              apiKey,
              rate,
              seconds: STEP_SECONDS,
              body: () => skewedBatchJson(SHAPE, seq, BATCH, USERS),
              batchSize: BATCH,
              consumers: configuration.consumers,
              extraPids: configuration.consumers.length > 1 ? { redis: redis.pid, s3rver: s3.pid } : {},
            });
            const cores = Object.entries(result.cpu)
              .map(([name, used]) => `${name} ${used.toFixed(2)}`)
              .join(', ');
            console.log(
              `${configuration.name.padEnd(30)} offered ${int(rate).padStart(6)}/s: ingested ${int(result.achieved).padStart(6)}/s, ` +
                `lag p50 ${result.lag.p50.toFixed(2)} s p95 ${result.lag.p95.toFixed(2)} s p99 ${result.lag.p99.toFixed(2)} s; ` +
                `cores: ${cores}${result.sustained ? '' : '  [not sustained]'}`,
            );
            return result;
          };
          let held = 0;
          let failed = 0;
          for (let rate = START; ; rate *= 2) {
            if ((await step(rate)).sustained) held = rate;
            else {
              failed = rate;
              break;
            }
          }
          for (let i = 0; i < BISECT; i++) {
            const rate = Math.round((held + failed) / 2 / 100) * 100;
            if ((await step(rate)).sustained) held = rate;
            else failed = rate;
          }
          sustained.get(configuration.name)!.push(held);
          console.log(
            `${configuration.name.padEnd(30)} round ${round + 1}: sustained end to end ${int(held)} signals/s`,
          );
        } finally {
          await topology.stop();
        }
      }
    const mean = (name: string) => {
      const values = sustained.get(name)!;
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    const [base, withSinks] = configurations.map((c) => mean(c.name));
    for (const c of configurations)
      console.log(`${c.name.padEnd(30)} mean sustained: ${int(mean(c.name))} signals/s`);
    const ratio = base > 0 ? withSinks / base : 0;
    console.log(
      `ratio (with sinks / postgres only): ${ratio.toFixed(2)}  target >= 0.80 ${ratio >= 0.8 ? 'met' : 'MISSED'}`,
    );
    await db.end();
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    await postgres.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
