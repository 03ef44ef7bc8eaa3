import {
  databaseUnavailable,
  isDatabaseUnavailable,
  isQueryTimeout,
  queryTimeout,
} from './database.errors.js';
import { DomainError, isDomainError, unprocessable } from './domain.error.js';

describe('isDatabaseUnavailable', () => {
  it('is true for connection-level SQLSTATEs, socket errors and pg connection messages', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET'])
      expect([code, isDatabaseUnavailable({ code })]).toEqual([code, true]);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('the database system is shutting down'))).toBe(true);
  });

  it('is false for request faults (a NUL in SQL text is 08P01), constraint errors and non-objects', () => {
    for (const code of ['08P01', '23505', '22P02', '57014'])
      expect([code, isDatabaseUnavailable({ code, message: 'x' })]).toEqual([code, false]);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });
});

describe('the database errors as domain errors', () => {
  it('a 503 database_unavailable that asks for a retry, with the caller’s promise in the message', () => {
    const error = databaseUnavailable('The database is unavailable; nothing was stored. Retry later.');
    expect(error).toBeInstanceOf(DomainError);
    expect([error.status, error.code, error.retryAfterSeconds]).toEqual([503, 'database_unavailable', 2]);
    expect(error.message).toContain('nothing was stored');
    expect(databaseUnavailable().message).toContain('nothing was changed');
  });

  it('a statement_timeout is a 504 query_timeout, not an outage', () => {
    const cancelled = { code: '57014', message: 'canceling statement due to statement timeout' };
    expect(isQueryTimeout(cancelled)).toBe(true);
    expect(isQueryTimeout({ code: '57014', message: 'canceling statement due to user request' })).toBe(false);
    expect([queryTimeout().status, queryTimeout().code]).toEqual([504, 'query_timeout']);
  });

  it('isDomainError matches by class and, when given, by code', () => {
    const error = unprocessable('invalid_workflow', 'bad', [{ path: 'steps', code: 'x', message: 'y' }]);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(error, 'invalid_workflow')).toBe(true);
    expect(isDomainError(error, 'draft_exists')).toBe(false);
    expect(isDomainError(Object.assign(new Error('bad'), { code: 'invalid_workflow' }))).toBe(false);
  });
});
