/** The interval a scan judges: [start, end), aligned to the epoch. */
export interface AnomalyWindow {
  readonly start: Date;
  readonly end: Date;
  readonly intervalMs: number;
}

/**
 * Signals may reach the store a little after they occurred (tracker batching, retries), so a scan
 * judges the last interval that ended at least this long ago, not the one still filling.
 */
export const SETTLE_MS = 60_000;

export function lastCompleteWindow(now: Date, intervalMinutes: number): AnomalyWindow {
  const intervalMs = intervalMinutes * 60_000;
  const end = Math.floor((now.getTime() - SETTLE_MS) / intervalMs) * intervalMs;
  return { start: new Date(end - intervalMs), end: new Date(end), intervalMs };
}

/** The window as alert evidence shows it. */
export const windowEvidence = (w: AnomalyWindow) => ({
  start: w.start.toISOString(),
  end: w.end.toISOString(),
  minutes: w.intervalMs / 60_000,
});
