import type pg from 'pg';
import { cpuSeconds } from './process-cpu.meter.js';
import type { StreamTopology } from './stream-topology.launcher.js';

export interface StepResult {
  readonly offered: number;
  readonly achieved: number;
  /** End-to-end lag in seconds: the oldest committed signal some consumer has not taken yet. */
  readonly lag: { p50: number; p95: number; p99: number };
  /** Cores used per process over the step. */
  readonly cpu: Record<string, number>;
  readonly sustained: boolean;
}

export interface StepOptions {
  readonly topology: StreamTopology;
  readonly db: pg.Client;
  readonly postmasterPid: number;
  readonly apiKey: string;
  readonly rate: number;
  readonly seconds: number;
  /** One batch request body; each call returns the next `batchSize` signals. */
  readonly body: () => string;
  readonly batchSize: number;
  /** Stream consumers whose lag counts (e.g. `metrics`, `sink:lake`): the slowest sets it. */
  readonly consumers: readonly string[];
  /** Other processes whose CPU is reported (e.g. a Redis server), by name. */
  readonly extraPids?: Record<string, number>;
}

export const percentileOf = (values: number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/**
 * Drives the batch API open loop at `rate` signals/s for `seconds` while sampling the consumers' lag.
 * Sustained: at least 95% of the offered rate ingested and lag p95 under 2 s. Waits for the
 * consumers to catch up before returning, so the next step starts without a backlog.
 */
export async function runOfferedStep(options: StepOptions): Promise<StepResult> {
  const { topology, db, postmasterPid, rate } = options;
  const pids = { ...topology.pids(), ...options.extraPids };
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
  const pgBefore = cpuSeconds(postmasterPid, true);
  const lags: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lags.push(await consumerLag(db, options.consumers));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const url = `${topology.api.baseUrl}/api/ai-behavior/signals/batch`;
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  const inflight = new Set<Promise<void>>();
  let accepted = 0;
  let sent = 0;
  const started = performance.now();
  for (;;) {
    const elapsed = (performance.now() - started) / 1000;
    if (elapsed >= options.seconds) break;
    // Owed by the clock, not by ticks: building bodies makes a tick longer than its sleep.
    const owed = Math.floor((elapsed * rate) / options.batchSize) - sent;
    for (let i = 0; i < owed; i++, sent++) {
      // Open loop, but bounded: past 64 requests in flight the service is not keeping up anyway.
      if (inflight.size >= 64) continue;
      const p = fetch(url, { method: 'POST', headers, body: options.body() })
        .then(async (r) => {
          if (r.ok) accepted += ((await r.json()) as { accepted?: number }).accepted ?? options.batchSize;
          else await r.body?.cancel();
        })
        .catch(() => undefined)
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) cpu[name] = (cpuSeconds(pid) - cpuBefore[name]) / seconds;
  cpu.postgres = (cpuSeconds(postmasterPid, true) - pgBefore) / seconds;
  const achieved = accepted / seconds;
  const lag = { p50: percentileOf(lags, 50), p95: percentileOf(lags, 95), p99: percentileOf(lags, 99) };
  const until = Date.now() + 120_000;
  while ((await consumerLag(db, options.consumers)) > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
  }
  return { offered: rate, achieved, lag, cpu, sustained: achieved >= rate * 0.95 && lag.p95 < 2 };
}

/** Age of the oldest committed signal one of the consumers has not taken yet, over every partition. */
export async function consumerLag(db: pg.Client, consumers: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ lag: number | null }>(
    `select max(extract(epoch from clock_timestamp() - s.ingested_at))::float8 as lag
       from behavior_stream_partitions p
      cross join unnest($1::text[]) k(consumer)
       left join behavior_stream_checkpoints c on c.consumer = k.consumer and c.stream_partition = p.stream_partition
      cross join lateral (select ingested_at from behavior_signals b
                           where b.stream_partition = p.stream_partition
                             and (b.xid, b.seq) > (coalesce(c.last_xid, '0'::xid8), coalesce(c.last_seq, 0))
                           order by b.xid, b.seq limit 1) s`,
    [consumers],
  );
  return rows[0]?.lag ?? 0;
}
