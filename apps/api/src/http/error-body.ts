import { STATUS_CODES } from 'node:http';
import type { ErrorDetail } from '@lssm/nest-common';

/** The one error shape of the API, plus a machine-readable `code`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: readonly ErrorDetail[];
}

export function errorBody(
  statusCode: number,
  message: string,
  code?: string,
  details?: readonly ErrorDetail[],
): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(code ? { code } : {}),
    ...(details && details.length > 0 ? { details } : {}),
  };
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'service_unavailable',
};

export function defaultCode(statusCode: number): string {
  return DEFAULT_CODES[statusCode] ?? (statusCode >= 500 ? 'internal_error' : 'bad_request');
}
