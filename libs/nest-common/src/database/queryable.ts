import type pg from 'pg';

/**
 * The part of a `pg.Pool` repositories use: one-shot queries and a client for a transaction
 * (through `transaction()`). Each lane of the one pool is one of these.
 */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | pg.QueryConfig,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
  connect(): Promise<pg.PoolClient>;
}
