/*
 * Projection: where the metric projection's time goes. Stores BENCH_SIGNALS signals with the
 * stream idle, then drains them twice from the same checkpoint start: once through a consumer
 * that does nothing (the baseline: reading the stream and moving checkpoints, the floor any
 * transactional consumer pays) and once through the metric projection, timing its projectors
 * (JavaScript) and its metric writes (SQL) separately. Durable PostgreSQL (fsync on).
 *
 * Shapes: `live` (timestamps within the last 5 minutes, skewed users: a few send most) and
 * `backfill` (30 days). Scale: BENCH_SIGNALS (200,000), BENCH_USERS (100,000),
 * BENCH_BATCH (projection batch, 5,000), BENCH_SHAPES (live,backfill).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  MetricProjectionConsumer,
  SignalIngestionService,
  SignalStreamWorker,
  type BehaviorSignalConsumer,
} from '@lssm/behavior-core';
import { createApp } from '../apps/api/src/bootstrap/create-app.js';
import { loadConfig } from '../apps/api/src/config/load-config.js';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { runMigrations } from '../apps/api/src/database/run-migrations.js';

const SIGNALS = Number(process.env.BENCH_SIGNALS ?? 200_000);
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const SHAPES = (process.env.BENCH_SHAPES ?? 'live,backfill').split(',') as Shape[];
type Shape = 'live' | 'backfill';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

function signal(shape: Shape, n: number, now: number) {
  const user = Math.floor(USERS * Math.random() ** 2);
  const age = shape === 'live' ? Math.random() * 300_000 : Math.random() * 30 * 86_400_000;
  const view = n % 3 !== 2;
  return {
    schemaId: view ? 'content.view' : 'ui.click',
    signalKey: `p${n}`,
    userId: `u${user}`,
    sessionId: `s${user % 50_000}`,
    timestamp: new Date(now - age).toISOString(),
    attributes: view
      ? { contentId: `c${n % 5000}`, durationSeconds: (n % 600) + 0.5 }
      : { elementId: `e${n % 200}` },
  };
}

async function main(): Promise<void> {
  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'bench-projection-')),
      persistent: false,
    });
    databaseUrl = server.url;
    stopPostgres = server.stop;
  }
  await runMigrations(databaseUrl);
  const config = loadConfig({
    env: {},
    overrides: {
      server: { logLevel: 'warn' },
      database: { url: databaseUrl, autoMigrate: false, poolSize: 12 },
      admin: { key: 'bench-admin-key-0123456789abcdef' },
      redis: { url: null },
      ai: {
        behavior: {
          ingestion: { rateLimit: { enabled: false } },
          metrics: { projection: { batchSize: BATCH } },
          processing: { role: 'api', runner: 'in-process' },
        },
      },
    },
  });
  const app = await createApp({ config, databaseUrl });
  await app.init();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ingestion = app.get(SignalIngestionService);
  const worker = app.get(SignalStreamWorker);
  const projection = app.get(MetricProjectionConsumer);
  console.log(
    `projection bench: ${int(SIGNALS)} signals per shape, ${int(USERS)} users (skewed), batch ${int(BATCH)}, ` +
      `durable PostgreSQL, 2 schemas`,
  );

  // Time spent inside the projection's two steps, read back after each drain.
  const spent = { write: 0 };
  const metricWrites = (
    projection as unknown as { metrics: { writeDeltas: (...a: unknown[]) => Promise<number> } }
  ).metrics;
  const writeDeltas = metricWrites.writeDeltas.bind(metricWrites);
  metricWrites.writeDeltas = async (...args: unknown[]) => {
    const started = performance.now();
    try {
      return await writeDeltas(...args);
    } finally {
      spent.write += performance.now() - started;
    }
  };
  const noop: BehaviorSignalConsumer = {
    name: 'bench-noop',
    delivery: 'transactional',
    batchSize: BATCH,
    handle: async () => 0,
  };

  const rows: string[] = [];
  for (const shape of SHAPES) {
    await db.query(
      `truncate behavior_signals, behavior_signal_keys, behavior_metric_days, behavior_signal_metric_values,
                behavior_stream_checkpoints`,
    );
    const now = Date.now();
    for (let sent = 0; sent < SIGNALS; sent += 500) {
      const items = Array.from({ length: Math.min(500, SIGNALS - sent) }, (_, j) =>
        signal(shape, sent + j, now),
      );
      await ingestion.ingest('bench', items);
    }
    await db.query('vacuum analyze behavior_signals');

    let started = performance.now();
    const baseline = await worker.drainWithResults([noop]);
    const baselineMs = performance.now() - started;
    const baselineSignals = baseline.reduce((n, o) => n + o.signals, 0);

    spent.write = 0;
    started = performance.now();
    const projected = await worker.drainWithResults([projection]);
    const projectMs = performance.now() - started;
    const projectedSignals = projected.reduce((n, o) => n + o.signals, 0);
    if (projectedSignals !== SIGNALS || baselineSignals !== SIGNALS) {
      throw new Error(`drained ${baselineSignals} / ${projectedSignals} of ${SIGNALS}`);
    }
    const { rows: sizes } = await db.query(
      `select (select count(*) from behavior_metric_days)::int as metric_rows,
              pg_total_relation_size('behavior_metric_days') as metric_bytes`,
    );
    const perK = (ms: number) => ((ms / SIGNALS) * 1000).toFixed(1);
    const streamMs = baselineMs;
    const jsMs = Math.max(0, projectMs - spent.write - streamMs);
    rows.push(
      `| ${shape.padEnd(8)} | ${int((SIGNALS / baselineMs) * 1000).padStart(9)} | ` +
        `${int((SIGNALS / projectMs) * 1000).padStart(9)} | ${(baselineMs / projectMs).toFixed(2)}× | ` +
        `${perK(streamMs)} / ${perK(jsMs)} / ${perK(spent.write)} | ` +
        `${(Number(sizes[0].metric_rows) / SIGNALS).toFixed(2)} | ${int(Number(sizes[0].metric_bytes) / 1024 / 1024)} MiB |`,
    );
    console.log(rows.at(-1));
  }
  console.log(
    '\n| shape    | stream only (signals/s) | projection (signals/s) | ratio | ms per 1k signals: stream / projectors / metric SQL | metric rows per signal | metric storage |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);

  await db.end();
  await app.close();
  await stopPostgres?.();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
