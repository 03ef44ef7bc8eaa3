import { CronTime, validateCronExpression } from 'cron';

// The one place cron expressions are read outside the schedulers themselves, so both runners
// accept the same syntax (five fields, or six with seconds).
export function isValidCron(expression: string): boolean {
  return validateCronExpression(expression).valid;
}

/** The next time the cron fires from now, for a task no scheduler has armed yet. */
export function nextCronFire(expression: string): Date | null {
  try {
    return new CronTime(expression).sendAt().toJSDate();
  } catch {
    return null;
  }
}
