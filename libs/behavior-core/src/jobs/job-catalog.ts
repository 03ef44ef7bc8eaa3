import type { JobHandlerFn, ScheduledTask } from '../contracts/job-runner.js';
import { isValidCron } from './cron-expression.js';

/**
 * The handlers and scheduled tasks a runner was given, checked the same way for every
 * runner: a task the in-process runner accepts is one BullMQ accepts too, and a bad task
 * stops start-up instead of never firing.
 */
export class JobCatalog {
  private readonly handlers = new Map<string, JobHandlerFn>();
  private readonly scheduled = new Map<string, ScheduledTask>();

  registerHandler(name: string, handler: JobHandlerFn): void {
    if (this.handlers.has(name)) throw new Error(`Job handler "${name}" is registered twice`);
    this.handlers.set(name, handler);
  }

  handler(name: string): JobHandlerFn | undefined {
    return this.handlers.get(name);
  }

  addTask(task: ScheduledTask): void {
    if (this.scheduled.has(task.id)) throw new Error(`Scheduled task "${task.id}" is declared twice`);
    if (!isValidCron(task.cron))
      throw new Error(`Scheduled task "${task.id}" has an invalid cron "${task.cron}"`);
    this.scheduled.set(task.id, task);
  }

  task(id: string): ScheduledTask | undefined {
    return this.scheduled.get(id);
  }

  tasks(): ScheduledTask[] {
    return [...this.scheduled.values()];
  }

  /** A task naming a handler no module registered would fail at every tick: refuse it at start. */
  assertComplete(): void {
    for (const task of this.scheduled.values()) {
      if (!this.handlers.has(task.handler)) {
        throw new Error(
          `Scheduled task "${task.id}" names handler "${task.handler}", which is not registered`,
        );
      }
    }
  }
}
