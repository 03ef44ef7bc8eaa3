import { ServiceUnavailableException } from '@nestjs/common';

// Connection-level failures (refused, reset, server shutting down, too many
// clients) mean "try again soon", never "your request was wrong". 08P01
// (protocol_violation) is the exception: a NUL inlined into SQL text causes it, and
// retrying the same request would fail the same way.
const RETRYABLE_SQLSTATE = /^(08(?!P01)|57P0|53300)/;
const RETRYABLE_NODE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: string; message?: string };
  if (code && (RETRYABLE_SQLSTATE.test(code) || RETRYABLE_NODE.has(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
    message ?? '',
  );
}

export function databaseUnavailable(retryAfterSeconds = 2): ServiceUnavailableException {
  return new ServiceUnavailableException({
    message: 'The database is unavailable; nothing was stored. Retry later.',
    code: 'database_unavailable',
    retryAfterSeconds,
  });
}
