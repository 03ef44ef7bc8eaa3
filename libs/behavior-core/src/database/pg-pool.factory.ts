import pg from 'pg';

/**
 * The hot-path pool (plain `pg`, no ORM unit of work). Idle-client errors (the
 * database restarting) must be swallowed here, or they would crash the process.
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
  return pool;
}
