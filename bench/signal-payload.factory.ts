/*
 * The one payload both sides of the comparison carry: the HTTP bodies the service ingests and
 * the rows `psql \copy` loads hold the same columns and the same attributes, so the ratio
 * compares paths, not payloads.
 */
const DEVICES = ['web', 'ios', 'android', 'tv'] as const;
const CATEGORIES = ['news', 'sport', 'help', 'product'] as const;

export const SCHEMA_ID = 'content.view';
export const SCHEMA_VERSION = 1;
export const SOURCE = 'bench';

export function userOf(n: number): string {
  return `u${n % 10_000}`;
}

export function sessionOf(n: number): string {
  return `s${n % 50_000}`;
}

/** The attributes object as JSON text (no escapes needed: it is also a valid COPY text field). */
export function attributesJson(n: number): string {
  return (
    `{"contentId":"c${n % 5000}","category":"${CATEGORIES[n % 4]}",` +
    `"durationSeconds":${(n % 600) + 0.5},"device":"${DEVICES[n % 4]}"}`
  );
}

/** One signal envelope as JSON; the key is unique per (prefix, n) so nothing is a duplicate. */
export function signalJson(prefix: string, n: number, timestamp: string): string {
  return (
    `{"schemaId":"${SCHEMA_ID}","signalKey":"${prefix}-${n}","userId":"${userOf(n)}",` +
    `"sessionId":"${sessionOf(n)}","timestamp":"${timestamp}","source":"${SOURCE}",` +
    `"attributes":${attributesJson(n)}}`
  );
}

export function batchJson(prefix: string, first: number, size: number, timestamp: string): string {
  const parts: string[] = new Array(size);
  for (let i = 0; i < size; i++) parts[i] = signalJson(prefix, first + i, timestamp);
  return `{"signals":[${parts.join(',')}]}`;
}

/** `live`: timestamps within the last 5 minutes; `backfill`: spread over 30 days. */
export type TrafficShape = 'live' | 'backfill';

/**
 * A batch request body of `size` content views from `users` users, skewed: the square of a uniform
 * draw puts most signals on the first few thousand users, as real traffic does.
 */
export function skewedBatchJson(
  shape: TrafficShape,
  seq: { n: number },
  size: number,
  users: number,
): string {
  const now = Date.now();
  const parts: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const n = seq.n++;
    const user = Math.floor(users * Math.random() ** 2);
    const age = shape === 'live' ? Math.random() * 300_000 : Math.random() * 30 * 86_400_000;
    parts[i] =
      `{"schemaId":"content.view","signalKey":"p${n}","userId":"u${user}","sessionId":"s${user % 50_000}",` +
      `"timestamp":"${new Date(now - age).toISOString()}","attributes":{"contentId":"c${n % 5000}",` +
      `"durationSeconds":${(n % 600) + 0.5}}}`;
  }
  return `{"signals":[${parts.join(',')}]}`;
}
