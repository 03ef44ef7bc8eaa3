import type { JobContext, ScheduledTask } from './job-runner.js';

/**
 * A provider class marked `@BehaviorJobHandler('name')` runs the job through `handle`.
 * (The decorator may also sit on a single method of any provider.)
 */
export interface BehaviorJobHandlerInstance {
  handle(payload: Record<string, unknown>, context: JobContext): Promise<unknown>;
}

/**
 * A provider marked `@BehaviorScheduledTasks()` declares scheduled tasks as data; the job
 * registry collects every source at start-up, so an add-on adds tasks without a central list.
 */
export interface ScheduledTaskSource {
  scheduledTasks(): readonly ScheduledTask[];
}
