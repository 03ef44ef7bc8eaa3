import { ServiceUnavailableException } from '@nestjs/common';
import { conflict, databaseUnavailable, DomainError } from '@lssm/nest-common';
import { toResponse } from './all-exceptions.filter.js';

describe('toResponse', () => {
  it('sends a domain error with its status, code and details in the one error shape', () => {
    const details = [
      { path: 'extensions.a.operations[0]', code: 'missing_anchor', message: 'm', anchor: 's' },
    ];
    expect(toResponse(conflict('breaks_extensions', 'It would break a', details))).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'It would break a',
        code: 'breaks_extensions',
        details,
      },
      headers: {},
    });
  });

  it('leaves out empty details and sends Retry-After when the error asks for a retry', () => {
    const error = new DomainError({
      status: 503,
      code: 'overloaded',
      message: 'm',
      details: [],
      retryAfterSeconds: 1,
    });
    expect(toResponse(error)).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: 'm', code: 'overloaded' },
      headers: { 'retry-after': '1' },
    });
  });

  it('maps a raw driver outage to the same 503 as databaseUnavailable()', () => {
    const raw = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    expect(toResponse(raw)).toEqual(toResponse(databaseUnavailable()));
    expect(toResponse(raw).headers).toEqual({ 'retry-after': '2' });
  });

  it('maps a statement_timeout to 504 query_timeout and keeps Nest exceptions as they were', () => {
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    expect([toResponse(timeout).status, toResponse(timeout).body.code]).toEqual([504, 'query_timeout']);
    const nest = new ServiceUnavailableException({
      message: 'down',
      code: 'redis_down',
      retryAfterSeconds: 3,
    });
    expect(toResponse(nest)).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: 'down', code: 'redis_down' },
      headers: { 'retry-after': '3' },
    });
  });
});
