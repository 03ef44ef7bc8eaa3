import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

/**
 * Raw parameterised SQL over the app's MikroORM connection (the overlay tables are small and
 * their queries tenant-scoped; entities would add nothing). Placeholders are `?`, so SQL text
 * here must not contain a literal question mark.
 */
@Injectable()
export class OverlayDatabase {
  constructor(private readonly orm: MikroORM) {}

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.orm.em.getConnection().execute<T[]>(sql, [...params], 'all');
  }
}

/** Postgres unique violation, whether MikroORM wrapped it or not. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505' || e.name === 'UniqueConstraintViolationException';
}

/** jsonb parameters travel as JSON text with an explicit `::jsonb` cast in the SQL. */
export const json = (value: unknown): string => JSON.stringify(value);

/**
 * Raw queries through MikroORM return timestamptz as PostgreSQL text
 * (`2026-01-02 03:04:05.678+00`), which Date.parse does not reliably read; normalise to a Date.
 */
export function toDate(value: Date | string): Date;
export function toDate(value: Date | string | null): Date | null;
export function toDate(value: Date | string | null): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const iso = value
    .trim()
    .replace(' ', 'T')
    .replace(/(\.\d{3})\d+/, '$1')
    .replace(/([+-]\d{2})$/, '$1:00');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new TypeError(`unreadable timestamp from the database: ${value}`);
  return date;
}
