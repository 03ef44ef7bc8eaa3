import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { PostgresSignalStore, UserIdHasher, type BehaviorSignal } from '@lssm/behavior-core';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const signal = (userId: string | null, extra: Partial<BehaviorSignal> = {}) =>
  ({
    id: uuidv7(),
    tenantId: 't1',
    userId,
    sessionId: null,
    schemaId: 'content.view',
    schemaVersion: 1,
    signalKey: null,
    source: null,
    timestamp: new Date().toISOString(),
    ingestedAt: new Date().toISOString(),
    attributes: { contentId: 'c' },
    ...extra,
  }) satisfies BehaviorSignal;

// The suppression check lives in the store's write statement: these drive the store directly.
describe('PostgresSignalStore enforces the suppression list inside its write (integration)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresSignalStore;
  let hasher: UserIdHasher;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    store = new PostgresSignalStore(pool, { maxConcurrent: 1 });
    await store.init();
    // No hashSecret: the installation secret the migration generated.
    hasher = new UserIdHasher(null, pool);
    await pool.query(`insert into behavior_suppressions (tenant_id, user_hash) values ('t1', $1)`, [
      await hasher.hash('t1', 'gone'),
    ]);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const write = async (signals: BehaviorSignal[], pseudonymize = false) =>
    (
      await store.acceptBatch(
        signals,
        [],
        await hasher.tags(
          't1',
          signals.map((s) => s.userId),
          pseudonymize,
        ),
      )
    ).outcomes;

  it('refuses a suppressed user per signal, claims no key for it, and stores the others', async () => {
    const batch = [
      signal('gone', { signalKey: 'k-gone' }),
      signal('kept', { signalKey: 'k-kept' }),
      signal(null, { sessionId: 's-1' }),
      signal('gone', { signalKey: 'k-gone' }), // the same key twice in one group
    ];
    const outcomes = await write(batch);
    expect(outcomes.map((o) => o.status)).toEqual(['suppressed', 'stored', 'stored', 'suppressed']);
    const { rows } = await pool.query(`select user_id from behavior_signals order by user_id nulls first`);
    expect(rows.map((r) => r.user_id)).toEqual([null, 'kept']);
    const keys = await pool.query(`select signal_key from behavior_signal_keys`);
    expect(keys.rows.map((r) => r.signal_key)).toEqual(['k-kept']);
    // The same user in another tenant is someone else.
    const other = { ...signal('gone'), tenantId: 't2' };
    expect(
      (await store.acceptBatch([other], [], await hasher.tags('t2', ['gone'], false))).outcomes[0].status,
    ).toBe('stored');
  });

  it('stores a suppressed user under the pseudonym in pseudonymize mode', async () => {
    const [outcome] = await write([signal('gone')], true);
    expect(outcome.status).toBe('stored');
    const { rows } = await pool.query(`select user_id from behavior_signals where id = $1`, [outcome.id]);
    expect(rows[0].user_id).toBe(await hasher.pseudonym('t1', 'gone'));
    expect(rows[0].user_id).toMatch(/^psd_[0-9a-f]{32}$/);
  });

  it('costs little on the hot path (measured, printed; no timing asserted)', async () => {
    // 10,000 suppressed users in the tenant; batches of 500 signals of 50 users each.
    await pool.query(
      `insert into behavior_suppressions (tenant_id, user_hash)
       select 't1', md5(g::text) || md5((g + 1)::text) from generate_series(1, 10000) g`,
    );
    const batches = (n: number) =>
      Array.from({ length: n }, (_, b) => Array.from({ length: 500 }, (_, i) => signal(`m-${b}-${i % 50}`)));
    const timings: Record<'untagged' | 'tagged', number[]> = { untagged: [], tagged: [] };
    let hashing = 0;
    for (const [i, batch] of batches(80).entries()) {
      const tagged = i % 2 === 1;
      const started = performance.now();
      let tags;
      if (tagged) {
        const h = performance.now();
        tags = await hasher.tags(
          't1',
          batch.map((s) => s.userId),
          false,
        );
        hashing += performance.now() - h;
      }
      await store.acceptBatch(batch, [], tags);
      if (i >= 4) timings[tagged ? 'tagged' : 'untagged'].push(performance.now() - started);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `suppression check, 500-signal writes: median ${median(timings.untagged).toFixed(2)} ms without user tags, ` +
        `${median(timings.tagged).toFixed(2)} ms with (10k suppressed); hashing ${(hashing / 40).toFixed(3)} ms per batch`,
    );
    expect(timings.tagged.length).toBeGreaterThan(0);
  });
});
