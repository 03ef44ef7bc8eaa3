import type pg from 'pg';
import { DatabasePool } from '../src/database/database-pool';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const timeout = async (client: pg.PoolClient) =>
  (await client.query<{ statement_timeout: string }>('show statement_timeout')).rows[0]!.statement_timeout;

describe('DatabasePool lanes (integration)', () => {
  let database: TestDatabase;
  let db: DatabasePool;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  beforeEach(() => {
    // Three connections, two reserved for ingestion: reads and background share one.
    db = new DatabasePool(
      { url: database.url, poolSize: 3, ingestReserved: 2, readStatementTimeoutMs: 200 },
      () => undefined,
    );
  });
  afterEach(async () => {
    await db.end();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('lets ingestion through at once while reads and background work hold the shared connection', async () => {
    const held = await db.background.connect();
    {
      const waitingRead = db.read.query('select 1 as n');
      const started = Date.now();
      const [a, b] = await Promise.all([db.ingest.query('select 1 as n'), db.ingest.query('select 2 as n')]);
      expect([a.rows[0].n, b.rows[0].n]).toEqual([1, 2]);
      expect(Date.now() - started).toBeLessThan(1_000);
      // The read queues behind the held shared connection, not behind ingestion.
      let readDone = false;
      void waitingRead.then(() => (readDone = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(readDone).toBe(false);
      held.release();
      expect((await waitingRead).rows[0].n).toBe(1);
    }
  });

  it('gives reads the statement_timeout and takes it off again for background work on the same session', async () => {
    const read = await db.read.connect();
    const pid = (await read.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    expect(await timeout(read)).toBe('200ms');
    read.release();
    await expect(db.read.query('select pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });

    const background = await db.background.connect();
    try {
      expect((await background.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid).toBe(
        pid,
      );
      expect(await timeout(background)).toBe('0');
      await background.query('select pg_sleep(0.3)');
    } finally {
      background.release();
    }
  });

  it('frees the shared slot when a query fails, and gives up waiting with the checkout-timeout message', async () => {
    await expect(db.background.query('select * from no_such_table')).rejects.toMatchObject({ code: '42P01' });
    expect((await db.background.query('select 1 as n')).rows[0].n).toBe(1);
    const held = await db.read.connect();
    try {
      await expect(db.background.query('select 1')).rejects.toThrow(
        /timeout exceeded when trying to connect/,
      );
    } finally {
      held.release();
    }
    expect((await db.background.query('select 3 as n')).rows[0].n).toBe(3);
  }, 15_000);
  it('never lets background work take the last shared connection: a read still gets one', async () => {
    const wide = new DatabasePool(
      { url: database.url, poolSize: 5, ingestReserved: 2, readStatementTimeoutMs: 0 },
      () => undefined,
    );
    try {
      // Three shared connections: background may hold two of them.
      const held = [await wide.background.connect(), await wide.background.connect()];
      let third = false;
      const waiting = wide.background.connect().then((client) => {
        third = true;
        return client;
      });
      const started = Date.now();
      expect((await wide.read.query('select 1 as n')).rows[0].n).toBe(1);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(third).toBe(false);
      held.pop()!.release();
      (await waiting).release();
      expect(third).toBe(true);
      held.forEach((client) => client.release());
    } finally {
      await wide.end();
    }
  });
});
