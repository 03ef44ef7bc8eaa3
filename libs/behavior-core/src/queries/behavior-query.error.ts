import { DomainError } from '@lssm/nest-common';
import type { SignalIssue } from '../contracts/behavior-signal.js';

/** A query that cannot run as asked: 400 with `code` and `details`. */
export class BehaviorQueryError extends DomainError<SignalIssue> {
  declare readonly details: readonly SignalIssue[];

  constructor(code: string, message: string, details: readonly SignalIssue[] = []) {
    super({ status: 400, code, message, details });
    this.name = 'BehaviorQueryError';
  }
}
