import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  BehaviorQueryError,
  PostgresBehaviorDataProvider,
  PostgresSignalStore,
  type BehaviorQuery,
  type BehaviorSignal,
} from '@lssm/behavior-core';
import { buildSignalQuery } from '../src/storage/signal-query.builder';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const USERS = 10;
const PER_TENANT = 3000;
const START = Date.parse('2025-01-01T00:00:00.000Z');
// Three months of data: every query crosses partitions.
const SPAN = Date.parse('2025-04-01T00:00:00.000Z') - START;

function makeSignals(tenantId: string, count: number): BehaviorSignal[] {
  return Array.from({ length: count }, (_, i) => {
    // Every 7th signal shares its time with the previous one: ties are broken by id.
    const slot = i % 7 === 0 && i > 0 ? i - 1 : i;
    return {
      id: uuidv7(),
      tenantId,
      userId: `u-${i % USERS}`,
      sessionId: null,
      schemaId: i % 3 === 0 ? 'search.query' : 'content.view',
      schemaVersion: 1,
      signalKey: i % 5 === 0 ? `k-${i}` : null,
      source: 'test',
      timestamp: new Date(START + Math.floor((slot * SPAN) / count)).toISOString(),
      ingestedAt: new Date().toISOString(),
      attributes: {
        n: i,
        parity: i % 2 === 0 ? 'even' : 'odd',
        mixed: i % 4 === 0 ? 'text' : i % 4 === 1 ? i : i % 4 === 2 ? String(i) : i % 8 === 3,
      },
    };
  });
}

/** Newest first, ties by id descending: what the provider promises. */
const newestFirst = (a: BehaviorSignal, b: BehaviorSignal) =>
  a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1;

async function collect(iterable: AsyncIterable<BehaviorSignal>): Promise<BehaviorSignal[]> {
  const out: BehaviorSignal[] = [];
  for await (const s of iterable) out.push(s);
  return out;
}

describe('PostgresBehaviorDataProvider (integration)', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let provider: PostgresBehaviorDataProvider;
  const acme = makeSignals('acme', PER_TENANT);
  const globex = makeSignals('globex', 500);

  const expected = (filter: (s: BehaviorSignal) => boolean) => acme.filter(filter).sort(newestFirst);
  const ids = (signals: BehaviorSignal[]) => signals.map((s) => s.id);

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 5 });
    const store = new PostgresSignalStore(pool);
    await store.init(new Date(START));
    for (const all of [acme, globex]) {
      for (let i = 0; i < all.length; i += 1000) await store.acceptBatch(all.slice(i, i + 1000));
    }
    await pool.query('analyze behavior_signals');
    // A small fetch size, so streams take many round trips.
    provider = new PostgresBehaviorDataProvider(pool, { streamBatchSize: 128 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('pages a user’s signals with cursors: newest first, every row once', async () => {
    const want = expected((s) => s.userId === 'u-3');
    const got: BehaviorSignal[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await provider.query({ tenantId: 'acme', userId: 'u-3', limit: 37, cursor });
      got.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(want.length / 37));
    expect(ids(got)).toEqual(ids(want));
    expect(got[0]).toEqual(want[0]);
  });

  it('pages oldest first with order asc', async () => {
    const want = expected((s) => s.userId === 'u-1').reverse();
    const got: BehaviorSignal[] = [];
    let cursor: string | undefined;
    do {
      const page = await provider.query({
        tenantId: 'acme',
        userId: 'u-1',
        order: 'asc',
        limit: 100,
        cursor,
      });
      got.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids(got)).toEqual(ids(want));
  });

  it('applies schema, time and attribute filters', async () => {
    const start = new Date('2025-02-01T00:00:00Z');
    const end = new Date('2025-03-01T00:00:00Z');
    const page = await provider.query({
      tenantId: 'acme',
      schemaId: 'content.view',
      start,
      end,
      attributes: [
        { name: 'parity', operator: 'eq', value: 'odd' },
        { name: 'mixed', operator: 'gte', value: '1000' },
        { name: 'n', operator: 'lt', value: '2000' },
      ],
      limit: 500,
    });
    const want = expected(
      (s) =>
        s.schemaId === 'content.view' &&
        s.timestamp >= start.toISOString() &&
        s.timestamp < end.toISOString() &&
        s.attributes.parity === 'odd' &&
        typeof s.attributes.mixed === 'number' &&
        s.attributes.mixed >= 1000 &&
        (s.attributes.n as number) < 2000,
    );
    expect(want.length).toBeGreaterThan(10);
    expect(ids(page.items)).toEqual(ids(want));
  });

  it('streams every matching row once, in order, across partitions', async () => {
    const all = await collect(provider.stream({ tenantId: 'acme' }));
    expect(all).toHaveLength(PER_TENANT);
    expect(ids(all)).toEqual(ids([...acme].sort(newestFirst)));
    const user = await collect(provider.stream({ tenantId: 'acme', userId: 'u-7', order: 'asc' }));
    expect(ids(user)).toEqual(ids(expected((s) => s.userId === 'u-7').reverse()));
  });

  it('streams with filters, a cursor and a cap, like query', async () => {
    const query: BehaviorQuery = {
      tenantId: 'acme',
      schemaId: 'search.query',
      attributes: [{ name: 'mixed', operator: 'eq', value: 'text' }],
    };
    const streamed = await collect(provider.stream(query));
    const paged = await provider.query({ ...query, limit: 500 });
    expect(ids(streamed)).toEqual(ids(paged.items));
    const first = await provider.query({ ...query, limit: 10 });
    const rest = await collect(provider.stream({ ...query, cursor: first.nextCursor!, limit: 5 }));
    expect(ids(rest)).toEqual(ids(paged.items.slice(10, 15)));
  });

  it('releases the connection when a consumer stops early', async () => {
    let seen = 0;
    for await (const _ of provider.stream({ tenantId: 'acme' })) {
      if (++seen === 300) break;
    }
    expect(pool.totalCount - pool.idleCount).toBe(0);
    const again = await collect(provider.stream({ tenantId: 'globex' }));
    expect(again).toHaveLength(500);
  });

  it('never returns another tenant’s rows', async () => {
    const globexRows = await collect(provider.stream({ tenantId: 'globex', userId: 'u-3' }));
    expect(globexRows).toHaveLength(globex.filter((s) => s.userId === 'u-3').length);
    expect(globexRows.length).toBeGreaterThan(0);
    expect(globexRows.every((s) => s.tenantId === 'globex')).toBe(true);
    const acmeIds = new Set(ids(acme));
    expect(globexRows.some((s) => acmeIds.has(s.id))).toBe(false);
    expect(await provider.findById('globex', acme[0].id)).toBeNull();
    expect(await provider.findById('acme', acme[0].id)).toEqual(acme[0]);
    expect(await provider.findById('acme', 'not-a-uuid')).toBeNull();
  });

  it('rejects bad queries with BehaviorQueryError, before taking a connection', async () => {
    const bad: BehaviorQuery[] = [
      { tenantId: '' },
      { tenantId: 'acme', cursor: 'garbage' },
      { tenantId: 'acme', limit: 0 },
      {
        tenantId: 'acme',
        attributes: [{ name: "x'); drop table behavior_signals; --", operator: 'eq', value: '1' }],
      },
      { tenantId: 'acme', attributes: [{ name: 'n', operator: 'gte', value: '1 or 1=1' }] },
      { tenantId: 'acme', attributes: [{ name: 'n', operator: 'between' as never, value: '1' }] },
      { tenantId: 'acme', start: new Date('nope') },
    ];
    for (const query of bad) {
      await expect(provider.query(query)).rejects.toBeInstanceOf(BehaviorQueryError);
      await expect(collect(provider.stream(query))).rejects.toBeInstanceOf(BehaviorQueryError);
    }
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  describe('query plans', () => {
    const planNodes = async (query: BehaviorQuery, limit: number | null) => {
      const { text, values } = buildSignalQuery(query, limit);
      const { rows } = await pool.query(`explain (format json) ${text}`, values);
      const nodes: { type: string; relation?: string; index?: string }[] = [];
      const walk = (node: any) => {
        nodes.push({ type: node['Node Type'], relation: node['Relation Name'], index: node['Index Name'] });
        for (const child of node.Plans ?? []) walk(child);
      };
      walk(rows[0]['QUERY PLAN'][0].Plan);
      return nodes;
    };

    it('reads a user’s page through the (tenant, user, occurred_at, id) index on every partition', async () => {
      const first = await provider.query({ tenantId: 'acme', userId: 'u-2', limit: 50 });
      for (const query of [
        { tenantId: 'acme', userId: 'u-2' },
        { tenantId: 'acme', userId: 'u-2', cursor: first.nextCursor! },
        { tenantId: 'acme', userId: 'u-2', start: new Date('2025-02-10T00:00:00Z') },
      ]) {
        const nodes = await planNodes(query, 51);
        expect(nodes.filter((n) => n.type === 'Seq Scan')).toEqual([]);
        const scans = nodes.filter((n) => n.type === 'Index Scan' || n.type === 'Index Only Scan');
        expect(scans.length).toBeGreaterThan(0);
        for (const scan of scans) {
          expect(scan.relation).toMatch(/^behavior_signals_y\d{4}m\d{2}$/);
          expect(scan.index).toMatch(/user_id/);
        }
      }
    });
  });
});
