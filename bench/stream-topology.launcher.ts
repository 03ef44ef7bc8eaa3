import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { launchService, type LaunchedService } from './service-process.launcher.js';

/**
 * The service as the pipeline benches run it: `all-in-one` is `main.js` on the defaults (role all:
 * the API and its worker process), `api+Nw` is `main.js` with role api beside N `worker.js`.
 */
export interface StreamTopology {
  readonly api: LaunchedService;
  /** Processes whose CPU is reported, by name (the all-in-one's worker process found as its child). */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  readonly name: string;
  readonly root: string;
  readonly databaseUrl: string;
  readonly work: string;
  readonly adminKey: string;
  /** YAML lines under `ai.behavior`, indented by four spaces (e.g. a `sinks:` list). */
  readonly behaviorYaml?: readonly string[];
  readonly env?: Record<string, string>;
}

export async function startTopology(options: TopologyOptions): Promise<StreamTopology> {
  const { name, root, work } = options;
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
      ...(options.behaviorYaml ?? []),
      '',
    ].join('\n'),
  );
  const env = {
    DATABASE_URL: options.databaseUrl,
    BEHAVIOR_ADMIN_KEY: options.adminKey,
    BEHAVIOR_CONFIG: config,
    BEHAVIOR_DATA_DIR: join(work, 'data'),
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    ...options.env,
  };
  const api = await launchService({ script: join(root, 'dist/apps/api/src/main.js'), cwd: root, env });
  const children: ChildProcess[] = [];
  for (let i = 0; i < workers; i++) children.push(await startWorker(root, env));
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

async function startWorker(root: string, env: Record<string, string>): Promise<ChildProcess> {
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

/**
 * Steps start once workers hold every partition: the all-in-one start's worker process boots after
 * its API listens, and its start-up is not what a step measures.
 */
export async function waitForLeases(db: pg.Client): Promise<void> {
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

/** Empties what the previous run wrote; the stream starts over with fresh checkpoints and leases. */
export async function resetStream(db: pg.Client): Promise<void> {
  await db.query(
    `truncate behavior_signals, behavior_signal_keys, behavior_metric_days, behavior_signal_metric_values,
              behavior_stream_checkpoints, behavior_stream_partitions, behavior_stream_workers, failed_signals`,
  );
  await db.query('checkpoint');
}
