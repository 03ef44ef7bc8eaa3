import pg from 'pg';
import { ConnectionGate } from './connection-gate.js';
import { DatabaseLane } from './database-lane.js';
import type { DatabaseOptions } from './database.options.js';

/** How long a caller waits for a connection before the outage answer (503) applies. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The service's one PostgreSQL pool and its three lanes:
 * - `ingest`: the signal sink's writes and the per-request API-key lookup; may use every
 *   connection, and `ingestReserved` of them are never held by anything else;
 * - `background`: stream consumers, jobs, replays, the ORM; never more than all shared connections
 *   but one, so API reads always find one even while background work waits on a lock;
 * - `read`: API reads, each session under the read statement_timeout.
 *
 * A server-side drop (the database restarting) is an `'error'` event, and an unheard one crashes
 * the process. pg-pool re-emits idle clients' errors on the pool but removes its listener from a
 * client while it is checked out, so every client gets a permanent listener of its own; the query
 * in flight still rejects, which is where the caller turns it into a 503.
 */
export class DatabasePool {
  readonly pool: pg.Pool;
  readonly ingest: DatabaseLane;
  readonly background: DatabaseLane;
  readonly read: DatabaseLane;
  private ended = false;

  constructor(options: DatabaseOptions, log: (message: string) => void = (m) => console.warn(m)) {
    if (options.ingestReserved >= options.poolSize) {
      throw new Error(
        `database.ingestReserved (${options.ingestReserved}) must be below database.poolSize (${options.poolSize})`,
      );
    }
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: options.applicationName ?? 'lssm-behavior',
    });
    this.pool.on('error', (error) => log(`idle PostgreSQL client error: ${error.message}`));
    this.pool.on('connect', (client) => {
      client.on('error', (error) => log(`PostgreSQL client error: ${error.message}`));
    });
    const sharedSize = options.poolSize - options.ingestReserved;
    const shared = new ConnectionGate(sharedSize, CONNECT_TIMEOUT_MS);
    const backgroundCap = new ConnectionGate(Math.max(1, sharedSize - 1), CONNECT_TIMEOUT_MS);
    this.ingest = new DatabaseLane('ingest', this.pool, [], 0);
    this.background = new DatabaseLane('background', this.pool, [backgroundCap, shared], 0);
    this.read = new DatabaseLane('read', this.pool, [shared], options.readStatementTimeoutMs);
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
