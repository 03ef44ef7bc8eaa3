import type { SignalIssue } from '../contracts/behavior-signal.js';
import { BehaviorQueryError } from './behavior-query.error.js';
import { decodeKeysetCursor } from './keyset-cursor.codec.js';

/** Fastify's parser gives flat keys (`attr.amount[gte]`) and an array for a repeated key. */
export type RawQuery = Readonly<Record<string, string | string[] | undefined>>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// An offset is required: a zone-less time would be read in the server's zone.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A real day from 0001-01-01 to 9999-12-31. JavaScript rolls `2026-02-30` over to March 2
 * and takes year 0; PostgreSQL refuses both, so they are client errors here.
 */
export function isCalendarDate(ymd: string): boolean {
  if (!DATE_ONLY.test(ymd) || ymd.startsWith('0000')) return false;
  const date = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === ymd;
}

/**
 * Reads query parameters and collects every problem, so one 400 lists them all
 * (`details[]` with path, code, message) instead of one per round trip.
 */
export class QueryParamReader {
  readonly issues: SignalIssue[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly raw: RawQuery) {}

  keys(): string[] {
    return Object.keys(this.raw);
  }

  string(name: string, maxLength = 256): string | undefined {
    this.seen.add(name);
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (Array.isArray(value)) {
      this.issue(name, 'repeated_parameter', 'give this parameter once');
      return undefined;
    }
    // Characters are code points, as in the ingestion schemas (ajv), so an id of 256 emoji fits 256.
    if (value.length === 0 || (value.length > maxLength && [...value].length > maxLength)) {
      this.issue(name, 'invalid_value', `from 1 to ${maxLength} characters`);
      return undefined;
    }
    return value;
  }

  date(name: string): Date | undefined {
    const value = this.string(name, 64);
    if (value === undefined) return undefined;
    const date = DATE_ONLY.test(value)
      ? new Date(`${value}T00:00:00Z`)
      : DATE_TIME.test(value)
        ? new Date(value)
        : null;
    if (
      !date ||
      Number.isNaN(date.getTime()) ||
      !isCalendarDate(value.slice(0, 10)) ||
      // A zone offset can move year 1 or 9999 out of the four-digit years PostgreSQL reads.
      date.getUTCFullYear() < 1 ||
      date.getUTCFullYear() > 9999
    ) {
      this.issue(name, 'invalid_date', 'an ISO 8601 date (YYYY-MM-DD, UTC) or date-time with a time zone');
      return undefined;
    }
    return date;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const value = this.string(name, 16);
    if (value === undefined) return undefined;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.issue(name, 'invalid_integer', `an integer from ${min} to ${max}`);
      return undefined;
    }
    return n;
  }

  boolean(name: string): boolean | undefined {
    const value = this.string(name, 8);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') {
      this.issue(name, 'invalid_boolean', 'true or false');
      return undefined;
    }
    return value === 'true';
  }

  cursor(name = 'cursor'): string | undefined {
    const value = this.string(name, 512);
    if (value === undefined) return undefined;
    try {
      decodeKeysetCursor(value, name);
      return value;
    } catch (error) {
      if (error instanceof BehaviorQueryError) this.issues.push(...error.details);
      return undefined;
    }
  }

  range(start: Date | undefined, end: Date | undefined): void {
    if (start && end && start.getTime() > end.getTime()) {
      this.issue('end', 'invalid_range', 'end must not be before start');
    }
  }

  markSeen(name: string): void {
    this.seen.add(name);
  }

  /** Unknown parameters are errors: a misspelt filter must not silently widen the result. */
  rejectUnknown(): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.seen.has(key)) this.issue(key, 'unknown_parameter', 'not a parameter of this endpoint');
    }
  }

  issue(path: string, code: string, message: string): void {
    this.issues.push({ path, code, message });
  }

  /** Throws one BehaviorQueryError listing every problem found. */
  done(): void {
    if (this.issues.length > 0) {
      throw new BehaviorQueryError('invalid_query', 'The query parameters are invalid', this.issues);
    }
  }
}
