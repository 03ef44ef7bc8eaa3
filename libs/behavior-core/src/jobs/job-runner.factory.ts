import type { SchedulerRegistry } from '@nestjs/schedule';
import type { BehaviorSettings } from '../contracts/behavior-core-options.js';
import type { JobRunner } from '../contracts/job-runner.js';
import { BullMqJobRunner } from './bullmq-job-runner.js';
import { InProcessJobRunner } from './in-process-job-runner.js';

/**
 * The default job runner. `processing.runner: auto` picks BullMQ when Redis is configured and the
 * in-process runner otherwise; `in-process` / `bullmq` force one (bullmq without Redis stops start-up).
 */
export function createJobRunner(
  processing: BehaviorSettings['processing'],
  options: {
    readonly redisUrl?: string | null;
    /** The app's ScheduleModule registry, where the in-process runner arms its cron jobs. */
    readonly schedulerRegistry?: SchedulerRegistry;
    readonly log?: (message: string, fields?: Record<string, unknown>) => void;
  } = {},
): JobRunner {
  const { schedulerRegistry, log, redisUrl } = options;
  const kind = processing.runner === 'auto' ? (redisUrl ? 'bullmq' : 'in-process') : processing.runner;
  if (kind === 'in-process') {
    return new InProcessJobRunner({
      attempts: processing.retry.attempts,
      retryDelayMs: processing.retry.backoffMs,
      log,
      schedulerRegistry,
    });
  }
  if (!redisUrl) {
    throw new Error(
      'ai.behavior.processing.runner is "bullmq" but no Redis is configured (redis.url / REDIS_URL)',
    );
  }
  return new BullMqJobRunner({
    redisUrl,
    prefix: processing.bullmq.prefix,
    queueName: processing.bullmq.queue,
    concurrency: processing.concurrency,
    attempts: processing.retry.attempts,
    backoffMs: processing.retry.backoffMs,
    log,
  });
}
