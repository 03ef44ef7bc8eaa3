import { CronTime, validateCronExpression } from 'cron';
import type { ScheduledTask } from '../contracts/job-runner.js';

/**
 * The checks every runner makes on its scheduled tasks, so a task the in-process runner
 * accepts is one BullMQ accepts too, and a bad task stops start-up instead of never firing.
 */
export function assertSchedulable(task: ScheduledTask, declared: ReadonlySet<string>): void {
  if (declared.has(task.id)) throw new Error(`Scheduled task "${task.id}" is declared twice`);
  if (!validateCronExpression(task.cron).valid)
    throw new Error(`Scheduled task "${task.id}" has an invalid cron "${task.cron}"`);
}

/** A task naming a handler no module registered would fail at every tick: refuse it at start. */
export function assertHandlersRegistered(
  tasks: Iterable<ScheduledTask>,
  handlers: ReadonlySet<string>,
): void {
  for (const task of tasks) {
    if (!handlers.has(task.handler)) {
      throw new Error(`Scheduled task "${task.id}" names handler "${task.handler}", which is not registered`);
    }
  }
}

/** The next time the cron fires from now, for a task no scheduler has armed yet. */
export function nextCronFire(cron: string): Date | null {
  try {
    return new CronTime(cron).sendAt().toJSDate();
  } catch {
    return null;
  }
}
