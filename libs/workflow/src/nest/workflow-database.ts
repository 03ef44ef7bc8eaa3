import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

export type WorkflowQuery = <T>(sql: string, params?: readonly unknown[]) => Promise<T[]>;

/**
 * Raw parameterised SQL over the app's MikroORM connection: the workflow tables hold JSON
 * documents addressed by key, so entities would add nothing. Placeholders are `?`, so SQL text
 * here must not contain a literal question mark.
 */
@Injectable()
export class WorkflowDatabase {
  constructor(private readonly orm: MikroORM) {}

  query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.orm.em.getConnection().execute<T[]>(sql, [...params], 'all');
  }

  /** Runs `work` in one transaction; every statement must go through the query it is given. */
  transaction<T>(work: (query: WorkflowQuery) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(async (em) => {
      const ctx = em.getTransactionContext();
      const connection = em.getConnection();
      return work(<R>(sql: string, params: readonly unknown[] = []) =>
        connection.execute<R[]>(sql, [...params], 'all', ctx),
      );
    });
  }
}

/** jsonb parameters travel as JSON text with an explicit `::jsonb` cast in the SQL. */
export const json = (value: unknown): string => JSON.stringify(value);

/**
 * Raw queries return timestamptz as PostgreSQL text (`2026-01-02 03:04:05.678+00`), which
 * Date.parse does not reliably read; normalise to a Date.
 */
export function toDate(value: Date | string): Date {
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
