import {
  BadRequestException,
  Injectable,
  ServiceUnavailableException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { isQueryTimeout, queryTimeout } from '../database/query-timeout.js';
import { BehaviorQueryError } from './behavior-query.error.js';

/** Maps read-path failures onto the API's error shape: 400 for a bad query, 503 when the database is down. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof BehaviorQueryError) {
    return new BadRequestException({
      message: error.message,
      code: error.code,
      ...(error.details.length > 0 && { details: error.details }),
    });
  }
  if (isQueryTimeout(error)) return queryTimeout();
  if (isDatabaseUnavailable(error)) {
    return new ServiceUnavailableException({
      message: 'The database is unavailable. Retry later.',
      code: 'database_unavailable',
      retryAfterSeconds: 2,
    });
  }
  return error;
}

@Injectable()
export class QueryErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => toHttpError(error))));
  }
}
