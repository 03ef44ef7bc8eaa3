import { Job, Queue, QueueEvents, UnrecoverableError, Worker } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { Redis } from 'ioredis';
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
import { nextCronFire } from './cron-expression.js';
import { JobCatalog } from './job-catalog.js';

export interface BullMqJobRunnerOptions {
  readonly redisUrl: string;
  /** Redis key prefix; processes sharing it (and the queue name) share the work. */
  readonly prefix?: string;
  readonly queueName?: string;
  /** Jobs one worker process runs at once. */
  readonly concurrency?: number;
  /** Tries per job (first run included), with exponential backoff from backoffMs. */
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
}

interface JobData {
  readonly payload: Record<string, unknown>;
  readonly tenantId?: string;
}

/**
 * The BullMQ driver. Cron tasks become BullMQ job schedulers (upserted when the worker
 * starts, so every worker process converges on the declared set and a removed task's
 * scheduler is dropped); runs are jobs with retries and exponential backoff. An api-only
 * process never calls start(): it only enqueues and waits, and worker processes run them.
 */
export class BullMqJobRunner implements JobRunner {
  readonly runnerType = 'bullmq';
  private readonly catalog = new JobCatalog();
  private readonly queue: Queue<JobData>;
  private readonly redis: Redis;
  private readonly lastRunsKey: string;
  private readonly connection: { url: string };
  private readonly prefix: string;
  private readonly queueName: string;
  private events?: QueueEvents;
  private worker?: Worker<JobData>;

  constructor(private readonly options: BullMqJobRunnerOptions) {
    this.prefix = options.prefix ?? 'lssm';
    this.queueName = options.queueName ?? 'behavior-jobs';
    this.connection = { url: options.redisUrl };
    this.queue = new Queue<JobData>(this.queueName, {
      connection: this.connection,
      prefix: this.prefix,
      // Producer and consumer spans; the enqueuing trace continues in the worker that runs the job.
      telemetry: new BullMQOtel(),
      defaultJobOptions: {
        attempts: Math.max(1, options.attempts ?? 3),
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
        // Keep a bounded history: enough for the admin view and runNow to read results.
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 1000 },
      },
    });
    this.redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
    this.lastRunsKey = `${this.prefix}:${this.queueName}:last-runs`;
  }

  registerHandler(name: string, handler: JobHandlerFn): void {
    this.catalog.registerHandler(name, handler);
  }

  async schedule(task: ScheduledTask): Promise<void> {
    this.catalog.addTask(task);
    if (this.worker) await this.upsertScheduler(task);
  }

  async enqueue(
    name: string,
    payload: Record<string, unknown> = {},
    context: { tenantId?: string } = {},
  ): Promise<string> {
    const job = await this.add(name, payload, context.tenantId);
    return job.id!;
  }

  async runNow(
    name: string,
    payload: Record<string, unknown> = {},
    context: { tenantId?: string } = {},
  ): Promise<JobRunResult> {
    const job = await this.add(name, payload, context.tenantId);
    const events = await this.queueEvents();
    let failure: string | undefined;
    let result: unknown;
    try {
      result = await job.waitUntilFinished(events);
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const done = await Job.fromId<JobData>(this.queue, job.id!);
    const startedAt = new Date(done?.processedOn ?? job.timestamp).toISOString();
    const finishedAt = new Date(done?.finishedOn ?? Date.now()).toISOString();
    const scope = context.tenantId ? { tenantId: context.tenantId } : {};
    return failure === undefined
      ? { jobId: job.id!, name, status: 'completed', startedAt, finishedAt, result, ...scope }
      : { jobId: job.id!, name, status: 'failed', startedAt, finishedAt, error: failure, ...scope };
  }

  async waitForRun(jobId: string, timeoutMs: number): Promise<JobRunResult | null> {
    const job = await Job.fromId<JobData>(this.queue, jobId);
    if (!job) return null;
    const events = await this.queueEvents();
    // Without a worker (or with all of them busy) the job never finishes: wait at most timeoutMs.
    await job.waitUntilFinished(events, Math.max(1, timeoutMs)).catch(() => undefined);
    const run = await this.getRun(jobId);
    return run && (run.status === 'completed' || run.status === 'failed') ? run : null;
  }

  async getRun(jobId: string): Promise<JobRunState | null> {
    const job = await Job.fromId<JobData>(this.queue, jobId);
    if (!job) return null;
    const state = await job.getState();
    const scope = job.data.tenantId ? { tenantId: job.data.tenantId } : {};
    const base = { jobId, name: job.name, ...scope };
    const startedAt = new Date(job.processedOn ?? job.timestamp).toISOString();
    const finishedAt = new Date(job.finishedOn ?? Date.now()).toISOString();
    if (state === 'completed')
      return { ...base, status: 'completed', startedAt, finishedAt, result: job.returnvalue };
    if (state === 'failed')
      return { ...base, status: 'failed', startedAt, finishedAt, error: job.failedReason };
    const queuedAt = new Date(job.timestamp).toISOString();
    return state === 'active'
      ? { ...base, status: 'running', queuedAt, startedAt }
      : { ...base, status: 'queued', queuedAt };
  }

  async tasks(scope: JobRunScope = {}): Promise<ScheduledTaskStatus[]> {
    const tasks = this.catalog.tasks();
    const [schedulers, lastRuns] = await Promise.all([
      Promise.all(tasks.map((t) => this.queue.getJobScheduler(t.id))),
      tasks.length
        ? this.lastRunStore().hmget(
            this.lastRunsKey,
            ...tasks.map((t) => lastRunKey(t.handler, scope.tenantId)),
          )
        : [],
    ]);
    return tasks.map((task, i) => {
      // Before any worker upserted the scheduler, compute the next fire time from the cron itself.
      const next = schedulers[i]?.next;
      return {
        id: task.id,
        handler: task.handler,
        cron: task.cron,
        description: task.description,
        nextRunAt: (next ? new Date(next) : nextCronFire(task.cron))?.toISOString() ?? null,
        lastRun: lastRuns[i] ? (JSON.parse(lastRuns[i]!) as JobRunResult) : null,
      };
    });
  }

  async start(): Promise<void> {
    if (this.worker) return;
    this.catalog.assertComplete();
    for (const scheduler of await this.queue.getJobSchedulers()) {
      const id = scheduler.id ?? scheduler.key;
      if (!this.catalog.task(id)) await this.queue.removeJobScheduler(id);
    }
    for (const task of this.catalog.tasks()) await this.upsertScheduler(task);
    const worker = new Worker<JobData>(this.queueName, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: Math.max(1, this.options.concurrency ?? 2),
      telemetry: new BullMQOtel(),
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      this.options.log?.(`job ${job.name} attempt ${job.attemptsMade} failed`, {
        jobId: job.id,
        error: error.message,
      });
      // Only the final failure is the run's result; earlier ones are retried with backoff.
      if (job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError)
        void this.recordLastRun(job, 'failed', undefined, error.message);
    });
    worker.on('error', (error) => this.options.log?.('bullmq worker error', { error: error.message }));
    this.worker = worker;
    await worker.waitUntilReady();
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.close();
    await this.events?.close();
    this.events = undefined;
    await this.queue.close();
    if (this.redis.status !== 'wait' && this.redis.status !== 'end')
      await this.redis.quit().catch(() => undefined);
  }

  async health(): Promise<JobRunnerHealth> {
    try {
      await this.lastRunStore().ping();
      return { ok: true, runnerType: this.runnerType, detail: this.worker ? 'running' : 'enqueue-only' };
    } catch (error) {
      return { ok: false, runnerType: this.runnerType, detail: (error as Error).message };
    }
  }

  private add(name: string, payload: Record<string, unknown>, tenantId: string | undefined) {
    if (!this.catalog.handler(name)) return Promise.reject(new Error(`No job handler named "${name}"`));
    return this.queue.add(name, { payload, ...(tenantId ? { tenantId } : {}) });
  }

  private async process(job: Job<JobData>): Promise<unknown> {
    const handler = this.catalog.handler(job.name);
    // A job for a handler this build does not have will never succeed: do not retry it.
    if (!handler) throw new UnrecoverableError(`No job handler named "${job.name}"`);
    const result = await handler(job.data.payload ?? {}, {
      jobId: job.id!,
      attempt: job.attemptsMade + 1,
      tenantId: job.data.tenantId,
    });
    // Recorded before the job completes, so a caller that waited for the job (runNow from an
    // api process) sees this run in GET /jobs; the 'completed' event would race it.
    await this.recordLastRun(job, 'completed', result);
    return result;
  }

  private upsertScheduler(task: ScheduledTask) {
    return this.queue.upsertJobScheduler(
      task.id,
      { pattern: task.cron },
      { name: task.handler, data: { payload: task.payload ?? {} } },
    );
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = new QueueEvents(this.queueName, { connection: this.connection, prefix: this.prefix });
    }
    await this.events.waitUntilReady();
    return this.events;
  }

  private lastRunStore(): Redis {
    if (this.redis.status === 'wait') void this.redis.connect().catch(() => undefined);
    return this.redis;
  }

  private async recordLastRun(
    job: Job<JobData>,
    status: 'completed' | 'failed',
    result?: unknown,
    error?: string,
  ): Promise<void> {
    const run: JobRunResult = {
      jobId: job.id!,
      name: job.name,
      status,
      startedAt: new Date(job.processedOn ?? job.timestamp).toISOString(),
      finishedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
      ...(status === 'completed' ? { result } : { error }),
      ...(job.data.tenantId ? { tenantId: job.data.tenantId } : {}),
    };
    await this.lastRunStore()
      .hset(this.lastRunsKey, lastRunKey(job.name, job.data.tenantId), JSON.stringify(run))
      .catch(() => undefined);
  }
}
