/** One machine-readable reason, located in the request: `{ path, code, message }`. */
export interface ErrorDetail {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** The statuses a domain error may answer with; the app's exception filter is what sends them. */
export type DomainErrorStatus = 400 | 404 | 409 | 413 | 422 | 429 | 503 | 504;

export interface DomainErrorInit<TDetail extends ErrorDetail = ErrorDetail> {
  readonly status: DomainErrorStatus;
  readonly code: string;
  readonly message: string;
  readonly details?: readonly TDetail[];
  /** Sent as `Retry-After` when the client should try again (503, 429). */
  readonly retryAfterSeconds?: number;
}

/**
 * A refusal the client can act on, thrown by services in any library without depending on
 * Nest's HTTP exceptions; the one exception filter turns it into `{ statusCode, error, message,
 * code, details? }`.
 */
export class DomainError<TDetail extends ErrorDetail = ErrorDetail> extends Error {
  readonly status: DomainErrorStatus;
  readonly code: string;
  readonly details?: readonly TDetail[];
  readonly retryAfterSeconds?: number;

  constructor(init: DomainErrorInit<TDetail>) {
    super(init.message);
    this.name = 'DomainError';
    this.status = init.status;
    this.code = init.code;
    if (init.details !== undefined) this.details = init.details;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export function isDomainError(error: unknown, code?: string): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

export const badRequest = <T extends ErrorDetail>(code: string, message: string, details?: readonly T[]) =>
  new DomainError<T>({ status: 400, code, message, details });

export const notFound = (code: string, message: string) => new DomainError({ status: 404, code, message });

export const conflict = <T extends ErrorDetail>(code: string, message: string, details?: readonly T[]) =>
  new DomainError<T>({ status: 409, code, message, details });

export const unprocessable = <T extends ErrorDetail>(code: string, message: string, details?: readonly T[]) =>
  new DomainError<T>({ status: 422, code, message, details });
