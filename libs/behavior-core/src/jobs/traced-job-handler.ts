import type { JobHandlerFn } from '../contracts/job-runner.js';
import { withSpan } from '../telemetry/behavior-tracer.js';

/** Every job run, on either runner, is one span (its queries are its children). */
export function tracedJobHandler(name: string, handler: JobHandlerFn): JobHandlerFn {
  return (payload, context) =>
    withSpan(
      `behavior.job ${name}`,
      {
        'behavior.job.name': name,
        'behavior.job.id': context.jobId,
        'behavior.job.attempt': context.attempt,
        ...(context.tenantId ? { 'behavior.tenant.id': context.tenantId } : {}),
      },
      () => handler(payload, context),
    );
}
