import pg from 'pg';

export interface BehaviorPoolOptions {
  /** Server-side `statement_timeout` of every session (ms); absent = none. */
  readonly statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, so each pool's sessions can be told apart. */
  readonly applicationName?: string;
}

/**
 * A plain `pg` pool (no ORM unit of work). A server-side drop (the database restarting) is an
 * `'error'` event, and an unheard one crashes the process. pg-pool re-emits idle clients' errors
 * on the pool, but it removes its listener from a client while that client is checked out, so
 * every client also gets a permanent listener of its own; the query in flight still rejects,
 * which is where the caller turns it into a 503.
 */
export function createBehaviorPool(
  databaseUrl: string,
  max: number,
  log: (m: string) => void,
  options: BehaviorPoolOptions = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    application_name: options.applicationName ?? 'behavior-core',
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  pool.on('error', (error) => log(`idle PostgreSQL client error: ${error.message}`));
  pool.on('connect', (client) => {
    client.on('error', (error) => log(`PostgreSQL client error: ${error.message}`));
  });
  return pool;
}
