import type { BehaviorInsights } from '../analysis/behavior-insights.js';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "7 days", "36 hours", "90 minutes": the reviewing admin reads windows, not milliseconds. */
export function formatWindow(windowMs: number): string {
  const [unit, size] =
    windowMs >= DAY && windowMs % DAY === 0
      ? ['day', DAY]
      : windowMs >= HOUR && windowMs % HOUR === 0
        ? ['hour', HOUR]
        : windowMs >= MINUTE && windowMs % MINUTE === 0
          ? ['minute', MINUTE]
          : ['ms', 1];
  const count = windowMs / size;
  return unit === 'ms' ? `${count} ms` : `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Whose behaviour the insights describe, e.g. `user "manager-42" (role "manager")` or `tenant "acme"`. */
export function describeAudience(scope: BehaviorInsights['scope']): string {
  const role = scope.role === undefined ? undefined : `role "${scope.role}"`;
  if (scope.userId !== undefined) return `user "${scope.userId}"${role ? ` (${role})` : ''}`;
  return role ?? `tenant "${scope.tenantId}"`;
}

/** "over 7 days to 2026-03-08T12:00:00.000Z" */
export function describeWindow(window: BehaviorInsights['window']): string {
  return `over ${formatWindow(window.windowMs)} to ${window.until}`;
}

export function plural(count: number, noun: string): string {
  if (count === 1) return `${count} ${noun}`;
  return `${count} ${noun}${/(s|x|ch|sh)$/.test(noun) ? 'es' : 's'}`;
}
