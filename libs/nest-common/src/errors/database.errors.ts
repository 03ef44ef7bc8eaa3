import { DomainError } from './domain.error.js';

// Connection-level failures (refused, reset, server shutting down, too many
// clients) mean "try again soon", never "your request was wrong". 08P01
// (protocol_violation) is the exception: a NUL inlined into SQL text causes it, and
// retrying the same request would fail the same way. SQLSTATEs are plain strings so
// this holds for pg, MikroORM and any driver that passes them through.
const RETRYABLE_SQLSTATE = /^(08(?!P01)|57P0|53300)/;
const RETRYABLE_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const OUTAGE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: string; message?: string };
  if (code && (RETRYABLE_SQLSTATE.test(code) || RETRYABLE_NODE.has(code))) return true;
  return OUTAGE_MESSAGE.test(message ?? '');
}

/** The one 503 for a database outage; `message` says what the caller can rely on (nothing stored). */
export function databaseUnavailable(
  message = 'A dependency is unavailable; nothing was changed. Retry later.',
  retryAfterSeconds = 2,
): DomainError {
  return new DomainError({ status: 503, code: 'database_unavailable', message, retryAfterSeconds });
}

/** PostgreSQL cancelled the statement because it ran past `statement_timeout` (SQLSTATE 57014). */
export function isQueryTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: string; message?: string };
  return code === '57014' && /statement timeout/i.test(message ?? '');
}

/**
 * A read that ran too long: 504, not 503 `database_unavailable`, because the database is up and
 * the same query would time out again; the client narrows it (time range, filters, limit).
 */
export function queryTimeout(): DomainError {
  return new DomainError({
    status: 504,
    code: 'query_timeout',
    message:
      'The query took longer than the read time limit and was cancelled; narrow it (time range, filters, limit).',
  });
}
