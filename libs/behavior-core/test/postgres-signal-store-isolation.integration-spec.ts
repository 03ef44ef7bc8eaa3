import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { PostgresSignalStore, type BehaviorSignal, type FailedSignal } from '@lssm/behavior-core';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const signal = (tenantId: string, attributes: Record<string, unknown>, extra: Partial<BehaviorSignal> = {}) =>
  ({
    id: uuidv7(),
    tenantId,
    userId: 'u-1',
    sessionId: null,
    schemaId: 'content.view',
    schemaVersion: 1,
    signalKey: null,
    source: null,
    timestamp: new Date().toISOString(),
    ingestedAt: new Date().toISOString(),
    attributes,
    ...extra,
  }) satisfies BehaviorSignal;

// The store is the last line of defence: ingestion rejects these before they get here,
// so they are handed to the store directly.
describe('PostgresSignalStore isolates failing items (integration)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresSignalStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    // One write at a time, so concurrent submissions are coalesced into shared groups.
    store = new PostgresSignalStore(pool, { maxConcurrent: 1 });
    await store.init();
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('a refused signal fails alone; every other signal in its group, its own batch included, is stored once', async () => {
    const poisons: Partial<BehaviorSignal>[] = [
      { attributes: { contentId: 'a\u0000b' } },
      { userId: 'u\u0000' },
      { schemaVersion: 2 ** 31 },
      { attributes: { contentId: 'x\ud800' } },
    ];
    const requests: { signals: BehaviorSignal[]; poison: number }[] = [];
    for (let r = 0; r < 12; r++) {
      const tenant = r % 2 === 0 ? 'acme' : 'globex';
      const signals = [0, 1, 2].map((i) => signal(tenant, { contentId: `c-${r}-${i}` }));
      let poison = -1;
      if (tenant === 'acme') {
        poison = 1;
        signals.splice(1, 0, signal(tenant, { contentId: 'ok' }, poisons[(r / 2) % poisons.length]));
      }
      requests.push({ signals, poison });
    }
    const badFailed: FailedSignal = {
      id: uuidv7(),
      tenantId: 'acme',
      schemaId: null,
      schemaVersion: null,
      signalKey: null,
      payload: { text: 'a\u0000' },
      reasons: [],
      failedAt: new Date().toISOString(),
    };
    const results = await Promise.all(
      requests.map(({ signals }, r) => store.acceptBatch(signals, r === 0 ? [badFailed] : [])),
    );
    results.forEach(({ outcomes }, r) => {
      const { signals, poison } = requests[r];
      outcomes.forEach((outcome, i) => {
        expect({ r, i, status: outcome.status }).toEqual({
          r,
          i,
          status: i === poison ? 'refused' : 'stored',
        });
        expect(outcome.id).toBe(signals[i].id);
      });
    });
    const expected = requests.flatMap(({ signals, poison }) =>
      signals.filter((_, i) => i !== poison).map((s) => s.id),
    );
    const { rows } = await pool.query<{ id: string }>(
      'select id from behavior_signals where id = any($1::uuid[])',
      [expected],
    );
    expect(rows.map((row) => row.id).sort()).toEqual([...expected].sort());
  });
});
