export interface BehaviorStoreErrorOptions {
  retryable: boolean;
  status?: number;
  /** A server-imposed minimum wait (from `Retry-After`), honoured by the tracker's backoff. */
  retryAfterMs?: number;
  cause?: unknown;
}

/** Lets a store tell the tracker whether re-sending the same batch can ever succeed. */
export class BehaviorStoreError extends Error {
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, options: BehaviorStoreErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BehaviorStoreError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Unknown errors (a custom store's own exceptions, network failures) are assumed transient. */
export function isRetryable(error: unknown): boolean {
  return !(error instanceof BehaviorStoreError) || error.retryable;
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof BehaviorStoreError ? error.retryAfterMs : undefined;
}
