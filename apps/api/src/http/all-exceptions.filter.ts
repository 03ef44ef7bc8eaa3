import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConnectionException } from '@mikro-orm/core';
import {
  databaseUnavailable,
  DomainError,
  isDatabaseUnavailable,
  isQueryTimeout,
  queryTimeout,
  type ErrorDetail,
} from '@lssm/nest-common';
import { defaultCode, errorBody } from './error-body.js';
import { mapFastifyError } from './fastify-error.mapper.js';

/** Every error leaves as `{ statusCode, error, message, code, details? }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const { status, body, headers } = toResponse(exception);
    // A 503 is an expected state (a dependency is down, the client retries); one line, no stack.
    if (status === 503) this.logger.warn(`503 ${body.code}: ${body.message}`);
    else if (status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    reply.status(status).send(body);
  }
}

export function toResponse(exception: unknown): {
  status: number;
  body: ReturnType<typeof errorBody>;
  headers: Record<string, string>;
} {
  // The libraries' refusals: the status, code and details they chose.
  if (exception instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (exception.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(exception.retryAfterSeconds);
    return {
      status: exception.status,
      body: errorBody(exception.status, exception.message, exception.code, exception.details),
      headers,
    };
  }
  // A read cancelled by statement_timeout, wherever it ran: 504 query_timeout.
  if (isQueryTimeout(exception)) return toResponse(queryTimeout());
  // Nest wraps Fastify's own rejections (body parsing, size, media type) in an
  // HttpException whose cause keeps the precise Fastify code.
  const mapped = mapFastifyError(exception instanceof HttpException ? exception.cause : exception);
  if (mapped)
    return {
      status: mapped.status,
      body: errorBody(mapped.status, mapped.message, mapped.code),
      headers: {},
    };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const raw = exception.getResponse();
    const payload = (typeof raw === 'object' && raw !== null ? raw : { message: raw }) as {
      message?: unknown;
      code?: string;
      details?: ErrorDetail[];
      retryAfterSeconds?: number;
    };
    const message = Array.isArray(payload.message)
      ? payload.message.join('; ')
      : typeof payload.message === 'string'
        ? payload.message
        : exception.message;
    const details =
      payload.details ??
      (Array.isArray(payload.message)
        ? payload.message.map((m) => ({ path: '', code: 'invalid', message: String(m) }))
        : undefined);
    const headers: Record<string, string> = {};
    if (payload.retryAfterSeconds !== undefined) headers['retry-after'] = String(payload.retryAfterSeconds);
    return {
      status,
      body: errorBody(status, message, payload.code ?? defaultCode(status), details),
      headers,
    };
  }
  // A database outage anywhere (auth lookups, admin calls) is "retry soon", not a crash.
  if (exception instanceof ConnectionException || isDatabaseUnavailable(exception))
    return toResponse(databaseUnavailable());
  return { status: 500, body: errorBody(500, 'Internal server error', 'internal_error'), headers: {} };
}
