export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

// Full jitter (AWS architecture blog): spreads clients that failed together so they do not retry together.
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
  return Math.floor(random() * cap);
}

// Retry-After is either delta-seconds or an HTTP date; the server's word wins over our own backoff.
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
