import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

const WORKER_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../worker.js');
/** Below the API (0): when both want the CPU, requests win; an idle machine still lends it all. */
const CHILD_NICENESS = 10;
const MAX_RESTART_DELAY_MS = 30_000;
/** At most one ingestion notice per this interval: the worker needs to know "lately", not each batch. */
const NOTICE_INTERVAL_MS = 100;
/** The IPC message telling the worker process this one ingested signals. */
export const INGESTED_NOTICE = { type: 'behavior:ingested' } as const;

export interface WorkerChildOptions {
  /** The database the API resolved (the embedded cluster's URL included). */
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly stopTimeoutMs: number;
  /** The worker's connections, taken out of database.poolSize by the API process. */
  readonly poolSize: number;
}

/**
 * With `processing.role: all` and `workerProcess: child`: the stream consumers and job workers run
 * in a worker process this service starts, restarts when it dies, and stops with itself. The
 * child inherits the environment (so it loads the same configuration) and an IPC channel: when
 * the API process dies, even by SIGKILL, the channel closes and the worker shuts down.
 */
export class WorkerChildSupervisor {
  private child?: ChildProcess;
  private stopping = false;
  private restarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private lastNoticeAt = 0;

  constructor(private readonly options: WorkerChildOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const { logger } = this.options;
    const child = spawn(process.execPath, [WORKER_SCRIPT], {
      env: {
        ...process.env,
        DATABASE_URL: this.options.databaseUrl,
        BEHAVIOR_WORKER_POOL_SIZE: String(this.options.poolSize),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, CHILD_NICENESS);
      } catch (error) {
        logger.warn({ err: error }, 'could not lower the worker process priority');
      }
    }
    logger.info({ workerPid: child.pid }, 'worker process started (consumers and jobs run there)');
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) return;
      const delay = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** Math.min(this.restarts, 5));
      this.restarts++;
      logger.error({ code, signal, restartInMs: delay }, 'worker process exited; restarting it');
      this.restartTimer = setTimeout(() => this.start(), delay);
    });
  }

  /** Tells the worker process signals were ingested (rate-limited; dropped while it is down). */
  ingested(): void {
    const now = Date.now();
    const child = this.child;
    if (now - this.lastNoticeAt < NOTICE_INTERVAL_MS || !child?.connected) return;
    this.lastNoticeAt = now;
    child.send(INGESTED_NOTICE, (error) => {
      if (error) this.lastNoticeAt = 0;
    });
  }

  /** SIGTERM (the worker finishes its batches and jobs), SIGKILL after the shutdown timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
