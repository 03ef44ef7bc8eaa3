import type pg from 'pg';
import type { ConnectionGate } from './connection-gate.js';
import type { Queryable } from './queryable.js';

export type DatabaseLaneName = 'ingest' | 'background' | 'read';

// The statement_timeout each pooled session currently has (absent = the server default, none).
const sessionTimeout = new WeakMap<pg.PoolClient, number>();

/**
 * One lane of the one pool. A lane decides two things about the connection it lends: whether it
 * counts against the shared (non-reserved) capacity, and which statement_timeout the session has.
 * The timeout is set only when a session moves between lanes, so the common case costs nothing.
 */
export class DatabaseLane implements Queryable {
  constructor(
    readonly name: DatabaseLaneName,
    private readonly pool: pg.Pool,
    /** Entered in order before a connection is taken, left in reverse when it is released. */
    private readonly gates: readonly ConnectionGate[],
    private readonly statementTimeoutMs: number,
  ) {}

  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | pg.QueryConfig,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    let failed: Error | undefined;
    try {
      return await client.query<R>(text as string, params as unknown[] | undefined);
    } catch (error) {
      // A connection-level failure leaves the session unusable; pg then destroys it on release.
      if (isConnectionError(error)) failed = error as Error;
      throw error;
    } finally {
      client.release(failed);
    }
  }

  async connect(): Promise<pg.PoolClient> {
    const entered: ConnectionGate[] = [];
    const leave = () => {
      for (const gate of entered.reverse()) gate.leave();
      entered.length = 0;
    };
    let client: pg.PoolClient;
    try {
      for (const gate of this.gates) {
        await gate.enter();
        entered.push(gate);
      }
      client = await this.pool.connect();
    } catch (error) {
      leave();
      throw error;
    }
    const release = client.release.bind(client);
    let released = false;
    client.release = (error?: Error | boolean) => {
      if (released) return release(error);
      released = true;
      leave();
      return release(error);
    };
    try {
      await this.applySessionSettings(client);
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    return client;
  }

  private async applySessionSettings(client: pg.PoolClient): Promise<void> {
    const current = sessionTimeout.get(client) ?? 0;
    if (current === this.statementTimeoutMs) return;
    await client.query(`set statement_timeout = ${Math.trunc(this.statementTimeoutMs)}`);
    sessionTimeout.set(client, this.statementTimeoutMs);
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === undefined || code.startsWith('08') || code === '57P01';
}
