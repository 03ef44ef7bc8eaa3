import pg from 'pg';
import { DatabasePool } from '../src/database/database-pool';
import type { DatabaseLane } from '../src/database/database-lane';
import { transaction } from '../src/database/transaction';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const backendPid = async (client: pg.ClientBase) =>
  (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;

describe('transaction (integration)', () => {
  let database: TestDatabase;
  let db: DatabasePool;
  let pool: DatabaseLane;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  beforeEach(() => {
    // One connection: whatever the helper hands back is what the next caller gets.
    db = new DatabasePool(
      { url: database.url, poolSize: 2, ingestReserved: 1, readStatementTimeoutMs: 0 },
      () => undefined,
    );
    pool = db.background;
  });
  afterEach(async () => {
    await db.end();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('commits what fn did and returns its result to the pool', async () => {
    await pool.query('create table if not exists tx_probe (n int)');
    let pid = 0;
    const result = await transaction(pool, async (client) => {
      pid = await backendPid(client);
      await client.query('insert into tx_probe values (1)');
      return 'done';
    });
    expect(result).toBe('done');
    expect((await pool.query('select count(*)::int as n from tx_probe')).rows[0].n).toBe(1);
    const client = await pool.connect();
    expect(await backendPid(client)).toBe(pid);
    client.release();
  });

  it('rolls back on an error and hands back a clean, reusable session', async () => {
    await pool.query('create table if not exists tx_probe2 (n int)');
    await expect(
      transaction(pool, async (client) => {
        await client.query('insert into tx_probe2 values (1)');
        await client.query('select 1/0');
      }),
    ).rejects.toThrow(/division by zero/);
    const client = await pool.connect();
    expect((await client.query('select count(*)::int as n from tx_probe2')).rows[0].n).toBe(0);
    // Not in a transaction (an aborted one would refuse every statement).
    expect((await client.query("select current_setting('transaction_isolation') as t")).rowCount).toBe(1);
    client.release();
  });

  it('destroys a client whose rollback fails instead of returning it to the pool', async () => {
    let failedPid = 0;
    let failingClient: pg.PoolClient | undefined;
    await expect(
      transaction(pool, async (client) => {
        failedPid = await backendPid(client);
        failingClient = client;
        // The statement fails, so the session is in an aborted transaction; then its ROLLBACK
        // fails too (as on a connection that broke mid-transaction).
        const query = client.query.bind(client) as (text: string) => Promise<unknown>;
        (client as unknown as { query: (text: unknown) => Promise<unknown> }).query = (text) =>
          text === 'rollback' ? Promise.reject(new Error('rollback failed')) : query(text as string);
        await client.query('select 1/0');
      }),
    ).rejects.toThrow(/division by zero/);
    expect(db.pool.totalCount).toBe(0);
    expect(db.pool.idleCount).toBe(0);
    const next = await pool.connect();
    try {
      expect(next).not.toBe(failingClient);
      expect(await backendPid(next)).not.toBe(failedPid);
      // A fresh session: statements run (an aborted transaction would refuse them).
      expect((await next.query<{ one: number }>('select 1 as one')).rows[0].one).toBe(1);
    } finally {
      next.release();
    }
  });

  it('destroys a client whose connection broke inside the transaction', async () => {
    let pid = 0;
    await expect(
      transaction(pool, async (client) => {
        pid = await backendPid(client);
        const other = new pg.Client({ connectionString: database.url });
        await other.connect();
        await other.query('select pg_terminate_backend($1)', [pid]);
        await other.end();
        await client.query('select 1');
      }),
    ).rejects.toThrow();
    expect(db.pool.totalCount).toBe(0);
    const next = await pool.connect();
    expect(await backendPid(next)).not.toBe(pid);
    next.release();
  });

  it('does not commit after fn rolled back itself', async () => {
    await pool.query('create table if not exists tx_probe3 (n int)');
    const result = await transaction(pool, async (client, tx) => {
      await client.query('insert into tx_probe3 values (1)');
      await tx.rollback();
      return 'nothing';
    });
    expect(result).toBe('nothing');
    expect((await pool.query('select count(*)::int as n from tx_probe3')).rows[0].n).toBe(0);
    expect(db.pool.totalCount).toBe(1);
  });
});
