import { randomUUID } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
// @nestjs/schedule's registry holds cron's CronJob and does not re-export it.
import { CronJob } from 'cron';
import type {
  JobHandlerFn,
  JobRunResult,
  JobRunScope,
  JobRunState,
  JobRunner,
  JobRunnerHealth,
  ScheduledTask,
  ScheduledTaskStatus,
} from '../contracts/job-runner.js';
import { lastRunKey } from './last-run.key.js';
import { JobCatalog } from './job-catalog.js';

export interface InProcessJobRunnerOptions {
  /** Retries after a failure, with doubling delay from retryDelayMs. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
  /**
   * Where the armed cron jobs are kept: the app's (ScheduleModule) so they show beside its
   * other schedules and are stopped with it; a private one when the runner is used alone.
   */
  readonly schedulerRegistry?: SchedulerRegistry;
}

/**
 * The embedded default: handlers run in this process, schedules fire from @nestjs/schedule
 * cron jobs, and runs of the same handler never overlap (a tick that finds one running is skipped).
 */
export class InProcessJobRunner implements JobRunner {
  readonly runnerType = 'in-process';
  private readonly catalog = new JobCatalog();
  private readonly registry: SchedulerRegistry;
  // Keyed by handler and tenant (lastRunKey): a tenant's view never shows another scope's run.
  private readonly lastRuns = new Map<string, JobRunResult>();
  // Recent runs by id for GET /jobs/runs/{id}; oldest dropped beyond RECENT_RUNS.
  private readonly runs = new Map<string, { pending: JobRunState; done?: Promise<JobRunResult> }>();
  private readonly running = new Map<string, Promise<JobRunResult>>();
  private readonly pending = new Set<Promise<unknown>>();
  private started = false;

  constructor(private readonly options: InProcessJobRunnerOptions = {}) {
    this.registry = options.schedulerRegistry ?? new SchedulerRegistry();
  }

  registerHandler(name: string, handler: JobHandlerFn): void {
    this.catalog.registerHandler(name, handler);
  }

  async schedule(task: ScheduledTask): Promise<void> {
    this.catalog.addTask(task);
    if (this.started) this.arm(task);
  }

  async enqueue(
    name: string,
    payload: Record<string, unknown> = {},
    context: { tenantId?: string } = {},
  ): Promise<string> {
    const jobId = randomUUID();
    this.track(this.execute(name, payload, jobId, context.tenantId));
    return jobId;
  }

  async waitForRun(jobId: string, timeoutMs: number): Promise<JobRunResult | null> {
    const run = this.runs.get(jobId);
    if (!run?.done) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      return await Promise.race([run.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async getRun(jobId: string): Promise<JobRunState | null> {
    return this.runs.get(jobId)?.pending ?? null;
  }

  runNow(
    name: string,
    payload: Record<string, unknown> = {},
    context: { tenantId?: string } = {},
  ): Promise<JobRunResult> {
    return this.execute(name, payload, randomUUID(), context.tenantId);
  }

  async tasks(scope: JobRunScope = {}): Promise<ScheduledTaskStatus[]> {
    return this.catalog.tasks().map((task) => ({
      id: task.id,
      handler: task.handler,
      cron: task.cron,
      description: task.description,
      nextRunAt: this.armed(task.id)?.nextDate().toJSDate().toISOString() ?? null,
      lastRun: this.lastRuns.get(lastRunKey(task.handler, scope.tenantId)) ?? null,
    }));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.catalog.assertComplete();
    this.started = true;
    for (const task of this.catalog.tasks()) this.arm(task);
  }

  async stop(): Promise<void> {
    this.started = false;
    // The app's ScheduleModule may have stopped and dropped them already at shutdown.
    for (const { id } of this.catalog.tasks()) {
      if (this.armed(id)) this.registry.deleteCronJob(cronJobName(id));
    }
    await Promise.allSettled([...this.pending]);
  }

  async health(): Promise<JobRunnerHealth> {
    return { ok: true, runnerType: this.runnerType, detail: this.started ? 'running' : 'idle' };
  }

  private arm(task: ScheduledTask): void {
    const job = CronJob.from({
      cronTime: task.cron,
      start: false,
      onTick: () => {
        if (this.running.has(task.handler)) return;
        this.track(this.execute(task.handler, task.payload ?? {}, randomUUID(), undefined));
      },
    });
    this.registry.addCronJob(cronJobName(task.id), job);
    job.start();
  }

  private armed(id: string): CronJob | undefined {
    const name = cronJobName(id);
    return this.registry.doesExist('cron', name) ? this.registry.getCronJob(name) : undefined;
  }

  private execute(
    name: string,
    payload: Record<string, unknown>,
    jobId: string,
    tenantId: string | undefined,
  ): Promise<JobRunResult> {
    const handler = this.catalog.handler(name);
    if (!handler) return Promise.reject(new Error(`No job handler named "${name}"`));
    const run = this.attempt(name, handler, payload, jobId, tenantId).finally(() => {
      if (this.running.get(name) === run) this.running.delete(name);
    });
    this.running.set(name, run);
    const now = new Date().toISOString();
    this.remember(jobId, {
      pending: {
        jobId,
        name,
        status: 'running',
        queuedAt: now,
        startedAt: now,
        ...(tenantId && { tenantId }),
      },
      done: run,
    });
    return run;
  }

  private async attempt(
    name: string,
    handler: JobHandlerFn,
    payload: Record<string, unknown>,
    jobId: string,
    tenantId: string | undefined,
  ): Promise<JobRunResult> {
    const attempts = Math.max(1, this.options.attempts ?? 3);
    const startedAt = new Date().toISOString();
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const result = await handler(payload, { jobId, attempt, tenantId });
        return this.record({
          jobId,
          name,
          status: 'completed',
          startedAt,
          finishedAt: new Date().toISOString(),
          result,
          ...(tenantId && { tenantId }),
        });
      } catch (error) {
        lastError = error;
        this.options.log?.(`job ${name} attempt ${attempt} failed`, { jobId, error: String(error) });
        if (attempt < attempts) await sleep((this.options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
      }
    }
    return this.record({
      jobId,
      name,
      status: 'failed',
      startedAt,
      finishedAt: new Date().toISOString(),
      error: lastError instanceof Error ? lastError.message : String(lastError),
      ...(tenantId && { tenantId }),
    });
  }

  private record(result: JobRunResult): JobRunResult {
    this.lastRuns.set(lastRunKey(result.name, result.tenantId), result);
    const run = this.runs.get(result.jobId);
    if (run) run.pending = result;
    return result;
  }

  private remember(jobId: string, run: { pending: JobRunState; done?: Promise<JobRunResult> }): void {
    this.runs.set(jobId, run);
    if (this.runs.size > RECENT_RUNS) this.runs.delete(this.runs.keys().next().value!);
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

const RECENT_RUNS = 1000;

/** Prefixed so the runner's jobs cannot collide with the app's own named schedules. */
function cronJobName(taskId: string): string {
  return `behavior-job:${taskId}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
