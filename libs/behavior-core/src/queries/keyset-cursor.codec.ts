import { BehaviorQueryError } from './behavior-query.error.js';

/** A keyset position: the row's time (microsecond text, UTC) and id, the tie-breaker. */
export interface KeysetPosition {
  readonly at: string;
  readonly id: string;
}

// Microseconds matter: PostgreSQL keeps them and a JS Date would round them off,
// making the next page skip or repeat rows that share a millisecond.
const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/** Throws BehaviorQueryError(`invalid_cursor`) for anything this service did not issue. */
export function decodeKeysetCursor(cursor: string, path = 'cursor'): KeysetPosition {
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,400}$/.test(cursor)
      ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
      : undefined;
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !AT.test(parsed[0]) ||
    Number.isNaN(Date.parse(parsed[0])) ||
    !UUID.test(parsed[1])
  ) {
    throw new BehaviorQueryError('invalid_cursor', 'The cursor is not valid', [
      { path, code: 'invalid_cursor', message: 'pass back a nextCursor value unchanged' },
    ]);
  }
  return { at: parsed[0], id: parsed[1] };
}

/** SQL expression rendering a timestamptz column as the cursor's `at` text. */
export function keysetTimeSql(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
