import { HttpException, HttpStatus } from '@nestjs/common';

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
export function queryTimeout(): HttpException {
  return new HttpException(
    {
      message:
        'The query took longer than the read time limit and was cancelled; narrow it (time range, filters, limit).',
      code: 'query_timeout',
    },
    HttpStatus.GATEWAY_TIMEOUT,
  );
}
