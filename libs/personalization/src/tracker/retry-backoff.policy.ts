/**
 * `full`: uniform in [0, cap] (spreads a crowd of clients that failed together the most);
 * `equal`: uniform in [cap/2, cap]; `none`: exactly cap (predictable, for tests and single clients).
 */
export type RetryJitter = 'full' | 'equal' | 'none';

export interface RetryBackoffOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  jitter?: RetryJitter;
  /** Injectable so tests can pin the jitter; must return a number in [0, 1). */
  random?: () => number;
}

export const DEFAULT_RETRY_BACKOFF = {
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  factor: 2,
  jitter: 'full',
} as const satisfies RetryBackoffOptions;

export interface RetryBackoffPolicy {
  /** Upper bound of the delay before retry number `attempt` (0-based), before jitter. */
  capFor(attempt: number): number;
  /** The delay to wait before retry number `attempt` (0-based). */
  delayFor(attempt: number): number;
}

export function createRetryBackoffPolicy(options: RetryBackoffOptions = {}): RetryBackoffPolicy {
  const initialDelayMs = options.initialDelayMs ?? DEFAULT_RETRY_BACKOFF.initialDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY_BACKOFF.maxDelayMs;
  const factor = options.factor ?? DEFAULT_RETRY_BACKOFF.factor;
  const jitter = options.jitter ?? DEFAULT_RETRY_BACKOFF.jitter;
  const random = options.random ?? Math.random;
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= initialDelayMs) || !(factor >= 1)) {
    throw new RangeError('retry backoff needs 0 <= initialDelayMs <= maxDelayMs and factor >= 1');
  }

  const capFor = (attempt: number): number =>
    // Math.min before the power would overflow to Infinity for long outages; the cap keeps it finite.
    Math.min(maxDelayMs, initialDelayMs * Math.pow(factor, Math.max(0, attempt)));

  return {
    capFor,
    delayFor(attempt) {
      const cap = capFor(attempt);
      const r = Math.min(Math.max(random(), 0), 1);
      if (jitter === 'none') return cap;
      if (jitter === 'equal') return Math.round(cap / 2 + (r * cap) / 2);
      return Math.round(r * cap);
    },
  };
}
