/*
 * Processing: ingestion at a fixed rate while the durable projection keeps up (throughput
 * and lag), then a full segmentation run, then insights reads at a fixed rate and at
 * saturation. One process on the machine running it: the embedded PostgreSQL (or
 * DATABASE_URL), the service (in-process runner) and the load generator share the CPUs.
 *
 * Scale: BENCH_SIGNALS (default 1,000,000), BENCH_USERS (100,000), BENCH_RATE (20,000/s);
 * the scale is the default. 8 schemas.
 */
import { Agent, request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  JOB_RUNNER,
  SignalIngestionService,
  SignalStreamWorker,
  UserInsightsService,
  type JobRunner,
} from '@lssm/behavior-core';
import { createApp } from '../apps/api/src/bootstrap/create-app.js';
import { loadConfig } from '../apps/api/src/config/load-config.js';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { runMigrations } from '../apps/api/src/database/run-migrations.js';

const SIGNALS = Number(process.env.BENCH_SIGNALS ?? 1_000_000);
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 20_000);
const TICK_MS = 50;
const DAY = 86_400_000;

const pct = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

function signalFor(i: number, now: number) {
  const userId = `u${i % USERS}`;
  // Spread over the last 30 days, newest most often, so segments differ.
  const age = Math.floor(((i * 7919) % 1000) ** 2 / 1000 / 34) * DAY + (i % 3600) * 1000;
  const timestamp = new Date(now - age).toISOString();
  const k = i % 8;
  const attributes: Record<string, unknown>[] = [
    { contentId: `c${i % 5000}`, durationSeconds: (i % 120) + 0.5 },
    { text: 'fine', rating: (i % 5) + 1 },
    { operation: 'profile-form', field: `f${i % 20}`, action: 'viewed', durationMs: i % 9000 },
    { feature: `feat${i % 30}`, action: 'opened', durationMs: i % 4000 },
    { workflow: 'onboarding', step: `s${i % 6}`, status: 'entered' },
    { query: `q${i % 1000}` },
    { elementId: `e${i % 200}` },
    { contentId: `c${i % 700}` },
  ];
  const schemaIds = [
    'content.view',
    'feedback.text',
    'personalization.field.access',
    'personalization.feature.usage',
    'personalization.workflow.step',
    'search.query',
    'ui.click',
    'content.view',
  ];
  return { schemaId: schemaIds[k], userId, timestamp, attributes: attributes[k] };
}

async function main(): Promise<void> {
  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const pgServer = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'bench-processing-')),
      persistent: false,
      unsafeFast: true,
    });
    databaseUrl = pgServer.url;
    stopPostgres = pgServer.stop;
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
          metrics: { projection: { batchSize: 5000 } },
          stream: { pollIntervalMs: 50 },
          processing: { runner: 'in-process' },
        },
      },
    },
  });
  const app = await createApp({ config, databaseUrl });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ingestion = app.get(SignalIngestionService);
  const projection = app.get(SignalStreamWorker);
  console.log(
    `processing bench: ${SIGNALS.toLocaleString()} signals, ${USERS.toLocaleString()} users, 8 schemas, ` +
      `ingest target ${RATE.toLocaleString()}/s, projection batch 5000`,
  );

  // 1. Ingest at a fixed rate (direct service calls, batches of 500, group commit) and sample the lag.
  const now = Date.now();
  const lagSamples: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await db.query(
        `select max(extract(epoch from (clock_timestamp() - s.ingested_at))) * 1000 as lag
           from behavior_stream_checkpoints c
           cross join lateral (select ingested_at from behavior_signals b
                                where b.stream_partition = c.stream_partition and (b.xid, b.seq) > (c.last_xid, c.last_seq)
                                order by b.xid, b.seq limit 1) s
          where c.consumer = 'metrics'`,
      );
      lagSamples.push(rows[0] ? Number(rows[0].lag) : 0);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const started = performance.now();
  let sent = 0;
  const inflight = new Set<Promise<unknown>>();
  while (sent < SIGNALS) {
    const due = Math.min(SIGNALS, Math.floor(((performance.now() - started) / TICK_MS + 1) * perTick));
    while (sent < due) {
      const n = Math.min(500, due - sent);
      const items = Array.from({ length: n }, (_, j) => signalFor(sent + j, now));
      sent += n;
      const p = ingestion.ingest('bench', items).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 32) await Promise.race(inflight); // 16,000 queued at most: below maxQueuedSignals
    }
    await new Promise((r) => setTimeout(r, TICK_MS / 2));
  }
  await Promise.all(inflight);
  const ingestSeconds = (performance.now() - started) / 1000;
  const projectedAtIngestEnd = Number(
    (
      await db.query(
        `select coalesce(sum(signals), 0) n from behavior_stream_checkpoints where consumer = 'metrics'`,
      )
    ).rows[0].n,
  );
  while (
    Number(
      (
        await db.query(
          `select coalesce(sum(signals), 0) n from behavior_stream_checkpoints where consumer = 'metrics'`,
        )
      ).rows[0].n,
    ) < SIGNALS
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const allProjectedSeconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  console.log(
    `ingestion: ${SIGNALS.toLocaleString()} in ${ingestSeconds.toFixed(1)} s = ${Math.round(SIGNALS / ingestSeconds).toLocaleString()} signals/s achieved`,
  );
  console.log(
    `projection: ${Math.round(SIGNALS / allProjectedSeconds).toLocaleString()} signals/s end to end ` +
      `(${projectedAtIngestEnd.toLocaleString()} projected when ingestion ended; all after ${allProjectedSeconds.toFixed(1)} s)`,
  );
  console.log(
    `projection lag (oldest unprojected signal, sampled every 200 ms): p50 ${(pct(lagSamples, 50) / 1000).toFixed(2)} s, ` +
      `p95 ${(pct(lagSamples, 95) / 1000).toFixed(2)} s, max ${(Math.max(...lagSamples) / 1000).toFixed(2)} s`,
  );
  const metricRows = Number((await db.query(`select count(*) n from behavior_signal_metrics`)).rows[0].n);
  console.log(`metric rows: ${metricRows.toLocaleString()}`);
  void projection;

  // 2. A full segmentation run (every user), set-based.
  const runner = app.get<JobRunner>(JOB_RUNNER);
  const seg = await runner.runNow('segmentation');
  const segResult = seg.result as { users: number; durationMs: number; segments: Record<string, number> };
  console.log(
    `segmentation: ${segResult.users.toLocaleString()} users in ${(segResult.durationMs / 1000).toFixed(2)} s ` +
      `(${seg.status}); segments ${JSON.stringify(segResult.segments)}`,
  );

  // 3. Insights reads: in-process service time and HTTP at a fixed rate and at saturation.
  const keyRes = await fetch(`${baseUrl}/api/admin/tenants`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-admin-key-0123456789abcdef', 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'bench', name: 'bench' }),
  });
  if (keyRes.status !== 201 && keyRes.status !== 409) throw new Error(`tenant: ${keyRes.status}`);
  const key = (
    (await (
      await fetch(`${baseUrl}/api/admin/tenants/bench/api-keys`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer bench-admin-key-0123456789abcdef',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ scopes: ['read'] }),
      })
    ).json()) as { key: string }
  ).key;
  const insights = app.get(UserInsightsService);
  const service: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    await insights.forUser('bench', `u${(i * 7919) % USERS}`);
    service.push(performance.now() - t0);
  }
  console.log(
    `insights service (stored read, no HTTP): p50 ${fmt(pct(service, 50))}, p95 ${fmt(pct(service, 95))}, p99 ${fmt(pct(service, 99))}`,
  );
  // Keep-alive sockets, bounded: a fixed request rate should not also measure TCP set-up.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const port = new URL(baseUrl).port;
  const get = (i: number, into: number[]) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path: `/api/ai-behavior/users/u${(i * 104729) % USERS}/insights`,
          headers: { authorization: `Bearer ${key}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`insights: ${res.statusCode}`));
            into.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const fixed: number[] = [];
  const fixedRate = 2000;
  const fixedSeconds = 5;
  const fixedStart = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < fixedRate * fixedSeconds; i++) {
    const at = fixedStart + (i * 1000) / fixedRate;
    const wait = at - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(get(i, fixed));
  }
  await Promise.all(pending);
  console.log(
    `GET /users/{id}/insights at ${fixedRate}/s (client-observed, same machine): p50 ${fmt(pct(fixed, 50))}, ` +
      `p95 ${fmt(pct(fixed, 95))}, p99 ${fmt(pct(fixed, 99))}`,
  );
  const saturated: number[] = [];
  const satStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() - satStart < 5000) await get(next++, saturated);
    }),
  );
  const satSeconds = (performance.now() - satStart) / 1000;
  console.log(
    `GET /users/{id}/insights at saturation (32 connections): ${Math.round(saturated.length / satSeconds).toLocaleString()} req/s, ` +
      `p50 ${fmt(pct(saturated, 50))}, p95 ${fmt(pct(saturated, 95))}, p99 ${fmt(pct(saturated, 99))}`,
  );

  agent.destroy();
  await db.end();
  await app.close();
  await stopPostgres?.();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
