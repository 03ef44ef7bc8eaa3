/** A scheduled task declared as data; `handler` names the job handler that runs it. */
export interface ScheduledTask {
  readonly id: string;
  readonly cron: string;
  readonly handler: string;
  readonly description?: string;
  readonly payload?: Record<string, unknown>;
}

export interface JobContext {
  readonly jobId: string;
  readonly attempt: number;
  /** Set when an admin of one tenant asked for the run; undefined means all tenants. */
  readonly tenantId?: string;
}

export type JobHandlerFn = (payload: Record<string, unknown>, context: JobContext) => Promise<unknown>;

export interface JobRunResult {
  readonly jobId: string;
  readonly name: string;
  readonly status: 'completed' | 'failed';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly result?: unknown;
  readonly error?: string;
  /** The tenant the run was limited to; absent for a run over all tenants. */
  readonly tenantId?: string;
}

/** A run that has not finished yet (queued, or a worker is on it). */
export interface JobRunPending {
  readonly jobId: string;
  readonly name: string;
  readonly status: 'queued' | 'running';
  readonly queuedAt: string;
  readonly startedAt?: string;
  readonly tenantId?: string;
}

export type JobRunState = JobRunResult | JobRunPending;

/** Whose runs a reader may see: a tenant only its own; undefined means all (the service admin). */
export interface JobRunScope {
  readonly tenantId?: string;
}

export interface ScheduledTaskStatus {
  readonly id: string;
  readonly handler: string;
  readonly cron: string;
  readonly description?: string;
  readonly nextRunAt: string | null;
  readonly lastRun: JobRunResult | null;
}

export interface JobRunnerHealth {
  readonly ok: boolean;
  readonly runnerType: string;
  readonly detail?: string;
}

/**
 * Runs named job handlers now, later or on a cron schedule. Two drivers: in-process
 * (embedded default) and BullMQ (when Redis is configured), chosen by config; module options
 * may replace both.
 */
export interface JobRunner {
  readonly runnerType: string;
  registerHandler(name: string, handler: JobHandlerFn): void;
  schedule(task: ScheduledTask): Promise<void>;
  /** Queues a run and returns its job id without waiting. */
  enqueue(name: string, payload?: Record<string, unknown>, context?: { tenantId?: string }): Promise<string>;
  /** Runs now and resolves with the outcome (never rejects for a handler failure). */
  runNow(
    name: string,
    payload?: Record<string, unknown>,
    context?: { tenantId?: string },
  ): Promise<JobRunResult>;
  /** Waits up to `timeoutMs` for a queued run; null when it has not finished by then. */
  waitForRun(jobId: string, timeoutMs: number): Promise<JobRunResult | null>;
  /** A recent run by id (finished or not); null when unknown or no longer kept. */
  getRun(jobId: string): Promise<JobRunState | null>;
  /**
   * The scheduled tasks; `lastRun` is the last run visible in `scope`: for a tenant, the last
   * run limited to that tenant (never a run over all tenants, whose result holds other tenants'
   * and service-wide counts); without a tenant, the last run over all tenants.
   */
  tasks(scope?: JobRunScope): Promise<ScheduledTaskStatus[]>;
  /** Starts executing (workers and schedules); an api-only process never calls it. */
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Promise<JobRunnerHealth>;
  /** Called once before the application serves, in every role (`start` only where jobs execute). */
  init?(): Promise<void>;
  /** Called once at shutdown, after `stop`. */
  close?(): Promise<void>;
}
