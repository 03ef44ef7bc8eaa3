import pg from 'pg';

/**
 * The hot-path pool (plain `pg`, no ORM unit of work). A server-side drop (the
 * database restarting) is an `'error'` event, and an unheard one crashes the
 * process. pg-pool re-emits idle clients' errors on the pool, but it removes its
 * listener from a client while that client is checked out, so every client also
 * gets a permanent listener of its own; the query in flight still rejects, which is
 * where the caller turns it into a 503.
 */
export function createBehaviorPool(databaseUrl: string, max: number, log: (m: string) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'behavior-core',
  });
  pool.on('error', (error) => log(`idle PostgreSQL client error: ${error.message}`));
  pool.on('connect', (client) => {
    client.on('error', (error) => log(`PostgreSQL client error: ${error.message}`));
  });
  return pool;
}
