import type { SignalIssue } from '../contracts/behavior-signal.js';

/** A query that cannot run as asked; the HTTP layer answers 400 with `code` and `details`. */
export class BehaviorQueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: readonly SignalIssue[] = [],
  ) {
    super(message);
    this.name = 'BehaviorQueryError';
  }
}
