import type pg from 'pg';
import type { Queryable } from './queryable.js';

/** What `fn` gets besides the client: ways to end the transaction before it returns. */
export interface TransactionScope {
  /** Commits now (work that must follow the commit, e.g. a metric); the helper does not commit again. */
  commit(): Promise<void>;
  /** Rolls back now (nothing to do); the helper then neither commits nor rolls back. */
  rollback(): Promise<void>;
}

/**
 * The one way any lib runs its own transaction: BEGIN, `fn`, COMMIT on one pooled client,
 * ROLLBACK on an error. When the rollback fails too (connection broken, server gone), or a
 * COMMIT/ROLLBACK itself failed, the client is released *with* the error, so pg destroys it
 * instead of handing the next caller a session stuck in an aborted transaction ("current
 * transaction is aborted, commands ignored until end of transaction block").
 */
export async function transaction<T>(
  db: Queryable,
  fn: (client: pg.PoolClient, tx: TransactionScope) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  let broken: Error | undefined;
  let open = false;
  const end = async (command: 'commit' | 'rollback') => {
    open = false;
    try {
      await client.query(command);
    } catch (error) {
      broken = asError(error);
      throw error;
    }
  };
  const tx: TransactionScope = { commit: () => end('commit'), rollback: () => end('rollback') };
  try {
    try {
      await client.query('begin');
    } catch (error) {
      broken = asError(error);
      throw error;
    }
    open = true;
    const result = await fn(client, tx);
    if (open) await end('commit');
    return result;
  } catch (error) {
    if (open) {
      open = false;
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = asError(rollbackError);
      });
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
