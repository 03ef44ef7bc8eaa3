import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { Client } from 'pg';
import type pg from 'pg';
import {
  BehaviorCoreModule,
  InProcessJobRunner,
  ParkedSignalReplayService,
  RegisterSignalConsumer,
  SignalIngestionService,
  SignalStreamWorker,
  streamPartitionOf,
  type ExternalSignalConsumer,
  type SignalConsumerBatch,
  type TransactionalSignalConsumer,
} from '@lssm/behavior-core';
import { loadConfig } from '../../../apps/api/src/config/load-config';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testDatabaseModule } from '../../../test/support/test-database-module';
import { waitFor } from '../../../test/support/wait-for';

// Deliveries of the external consumer, across both workers (they share this process).
const delivered = new Map<string, number>();

@RegisterSignalConsumer()
@Injectable()
class RecordingTransactionalConsumer implements TransactionalSignalConsumer {
  readonly name = 'test.recorder';
  readonly delivery = 'transactional';
  readonly batchSize = 97;
  async handle(batch: SignalConsumerBatch, client: pg.PoolClient): Promise<void> {
    await client.query(
      `insert into stream_test_seen (signal_id, stream_partition) select unnest($1::uuid[]), $2`,
      [batch.signals.map((s) => s.signal.id), batch.partition],
    );
  }
}

@RegisterSignalConsumer()
@Injectable()
class RecordingExternalConsumer implements ExternalSignalConsumer {
  readonly name = 'test.external';
  readonly delivery = 'external';
  readonly batchSize = 250;
  async handle(batch: SignalConsumerBatch): Promise<void> {
    for (const s of batch.signals) delivered.set(s.signal.id, (delivered.get(s.signal.id) ?? 0) + 1);
  }
}

@Module({ providers: [RecordingTransactionalConsumer, RecordingExternalConsumer] })
class RecordingConsumersModule {}

// Refuses one signal while `broken`, like a consumer with a bug for some input.
const flaky = { broken: true, calls: 0 };
@RegisterSignalConsumer()
@Injectable()
class FlakyConsumer implements TransactionalSignalConsumer {
  readonly name = 'test.flaky';
  readonly delivery = 'transactional';
  readonly batchSize = 20;
  async handle(batch: SignalConsumerBatch, client: pg.PoolClient): Promise<void> {
    flaky.calls++;
    // Writes first, then throws: the parked signal's partial write must not survive.
    await client.query(`insert into stream_test_flaky (signal_id) select unnest($1::uuid[])`, [
      batch.signals.map((s) => s.signal.id),
    ]);
    if (flaky.broken && batch.signals.some((s) => s.signal.attributes.contentId === 'poison')) {
      throw new Error('cannot handle poison');
    }
  }
}
@Module({ providers: [FlakyConsumer] })
class FlakyConsumerModule {}

// Short batches wait up to LINGER_MS for more signals; each delivery is recorded with its size.
const LINGER_MS = 1500;
const lingered: { size: number; at: number }[] = [];
@RegisterSignalConsumer()
@Injectable()
class LingeringConsumer implements ExternalSignalConsumer {
  readonly name = 'test.linger';
  readonly delivery = 'external';
  readonly batchSize = 40;
  readonly lingerMs = LINGER_MS;
  async handle(batch: SignalConsumerBatch): Promise<void> {
    lingered.push({ size: batch.signals.length, at: Date.now() });
  }
}
@Module({ providers: [LingeringConsumer] })
class LingeringConsumerModule {}

function settings(role: 'api' | 'all') {
  return loadConfig({
    env: {},
    overrides: {
      ai: {
        behavior: {
          processing: { role },
          stream: { partitions: 16, lanes: 2, leaseTtlMs: 1500, leaseRenewMs: 200, pollIntervalMs: 50 },
        },
      },
    },
  }).ai.behavior;
}

async function boot(
  database: TestDatabase,
  role: 'api' | 'all',
  consumers: unknown = RecordingConsumersModule,
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      testDatabaseModule(database.url),
      BehaviorCoreModule.forRoot({
        settings: settings(role),
        // No cron jobs in this test: only the stream runs.
        seams: { jobRunner: { useFactory: () => new InProcessJobRunner({ attempts: 1, retryDelayMs: 0 }) } },
      }),
      consumers as never,
    ],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef;
}

describe('signal stream: partitions, consumers, leases (integration)', () => {
  let database: TestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    await db.query(`create table stream_test_seen (signal_id uuid not null, stream_partition int not null)`);
    await db.query(`create table stream_test_flaky (signal_id uuid not null)`);
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('assigns partitions stably: md5 of tenant and user (else session), the same in SQL as in the sink', async () => {
    const cases: [string, string | null, string | null][] = [
      ['acme', 'u-1', null],
      ['acme', null, 's-9'],
      ['globex', 'ünïcode-👤', 'ignored-session'],
      ['t', null, null],
    ];
    for (const [tenant, user, session] of cases) {
      const key = user ?? session ?? '';
      const { rows } = await db.query<{ p: string }>(
        `select (('x' || left(md5($1 || chr(31) || $2), 8))::bit(32)::bigint % 16)::text as p`,
        [tenant, key],
      );
      expect(streamPartitionOf(tenant, user, session, 16)).toBe(Number(rows[0].p));
    }
    // Known values: a change to the function would silently reorder every user's stream.
    expect(streamPartitionOf('acme', 'u-1', null, 16)).toBe(streamPartitionOf('acme', 'u-1', 'other', 16));
    expect([...Array(200).keys()].map((i) => streamPartitionOf('acme', `user-${i}`, null, 16))).toEqual(
      [...Array(200).keys()].map((i) => streamPartitionOf('acme', `user-${i}`, null, 16)),
    );
    expect(
      new Set([...Array(200).keys()].map((i) => streamPartitionOf('acme', `user-${i}`, null, 16))).size,
    ).toBe(16);
  });

  it('3 consumers × 16 partitions × 2 workers: every signal once per transactional consumer, at least once with its id externally', async () => {
    const writer = await boot(database, 'api');
    const first = await boot(database, 'all');
    const second = await boot(database, 'all');
    try {
      // Both workers share the 16 partitions (8 each) once the leases settle.
      await waitFor(
        async () => [
          first.get(SignalStreamWorker).owned().length,
          second.get(SignalStreamWorker).owned().length,
        ],
        ([a, b]) => a === 8 && b === 8,
        20_000,
      );
      const ingestion = writer.get(SignalIngestionService);
      const TOTAL = 3000;
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < TOTAL; i += 100) {
        // Concurrent batches from two tenants: transactions commit out of order.
        const tenant = i % 200 === 0 ? 'acme' : 'globex';
        writes.push(
          ingestion.ingest(
            tenant,
            Array.from({ length: 100 }, (_, j) => ({
              schemaId: 'content.view',
              userId: `user-${(i + j) % 211}`,
              timestamp: new Date(Date.now() - (i + j) * 1000).toISOString(),
              attributes: { contentId: `c-${j}` },
            })),
          ),
        );
      }
      const results = (await Promise.all(writes)).flat() as { status: string }[];
      expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);

      const consumed = (consumer: string) =>
        db
          .query<{ n: number }>(
            `select coalesce(sum(signals), 0)::int n from behavior_stream_checkpoints where consumer = $1`,
            [consumer],
          )
          .then((r) => r.rows[0].n);
      for (const consumer of ['metrics', 'test.recorder', 'test.external']) {
        await waitFor(
          () => consumed(consumer),
          (n) => n === TOTAL,
        );
      }

      const { rows: seen } = await db.query<{ n: number; distinct_n: number; wrong: number }>(
        `select count(*)::int n, count(distinct t.signal_id)::int distinct_n,
                count(*) filter (where s.stream_partition <> t.stream_partition)::int wrong
           from stream_test_seen t join behavior_signals s on s.id = t.signal_id`,
      );
      expect(seen[0]).toEqual({ n: TOTAL, distinct_n: TOTAL, wrong: 0 });
      const { rows: metric } = await db.query<{ n: number }>(
        `select sum(metric_value)::int n from behavior_signal_metrics where metric_key = 'engagement.signals'`,
      );
      expect(metric[0].n).toBe(TOTAL);
      const { rows: ids } = await db.query<{ id: string }>('select id from behavior_signals');
      expect(ids).toHaveLength(TOTAL);
      expect(ids.filter((r) => (delivered.get(r.id) ?? 0) < 1)).toEqual([]);
      // Each partition's rows carry the sink's partition; work really was split between the workers.
      const { rows: parts } = await db.query<{ n: number }>(
        'select count(distinct stream_partition)::int n from behavior_signals',
      );
      expect(parts[0].n).toBe(16);
    } finally {
      await second.close();
      await first.close();
      await writer.close();
    }
  });

  it('a joining worker takes a fair share, a leaving one hands its partitions back', async () => {
    const a = await boot(database, 'all');
    let b: TestingModule | undefined;
    try {
      const owned = (m: TestingModule) => m.get(SignalStreamWorker).owned().length;
      await waitFor(
        async () => owned(a),
        (n) => n === 16,
        20_000,
      );
      b = await boot(database, 'all');
      const split = await waitFor(
        async () => [owned(a), owned(b!)],
        ([x, y]) => x + y === 16 && Math.abs(x - y) === 0,
        20_000,
      );
      expect(split).toEqual([8, 8]);
      const { rows } = await db.query<{ owners: number; unowned: number }>(
        `select count(distinct owner)::int owners, count(*) filter (where owner is null)::int unowned
           from behavior_stream_partitions`,
      );
      expect(rows[0]).toEqual({ owners: 2, unowned: 0 });
      await b.close();
      b = undefined;
      await waitFor(
        async () => owned(a),
        (n) => n === 16,
        20_000,
      );
    } finally {
      await b?.close();
      await a.close();
    }
  });
  it('parks a signal a consumer refuses every time, keeps the partition moving, and replays it once fixed', async () => {
    const app = await boot(database, 'all', FlakyConsumerModule);
    try {
      const ingestion = app.get(SignalIngestionService);
      // One user: one partition, in order; the poison sits in the middle of a batch.
      const items = Array.from({ length: 50 }, (_, i) => ({
        schemaId: 'content.view',
        userId: 'flaky-user',
        timestamp: new Date(Date.now() - (50 - i) * 1000).toISOString(),
        attributes: { contentId: i === 25 ? 'poison' : `ok-${i}` },
      }));
      await ingestion.ingest('acme', items);
      const partition = streamPartitionOf('acme', 'flaky-user', null, 16);
      const consumed = () =>
        db
          .query<{ n: number }>(
            `select coalesce(sum(signals), 0)::int n from behavior_stream_checkpoints
              where consumer = 'test.flaky' and stream_partition = $1`,
            [partition],
          )
          .then((r) => r.rows[0].n);
      // Everything ingested before this test in that partition counts too.
      const total = Number(
        (
          await db.query(`select count(*)::int n from behavior_signals where stream_partition = $1`, [
            partition,
          ])
        ).rows[0].n,
      );
      await waitFor(consumed, (n) => n === total, 30_000);
      const { rows: parked } = await db.query(
        `select p.signal_id, p.stream_partition, p.error, s.attributes->>'contentId' as content
           from behavior_parked_signals p join behavior_signals s on s.id = p.signal_id
          where p.consumer = 'test.flaky'`,
      );
      expect(parked).toEqual([
        expect.objectContaining({
          stream_partition: partition,
          content: 'poison',
          error: 'Error: cannot handle poison',
        }),
      ]);
      const { rows: written } = await db.query<{ n: number; poison: number }>(
        `select count(*)::int n, count(*) filter (where s.attributes->>'contentId' = 'poison')::int poison
           from stream_test_flaky f join behavior_signals s on s.id = f.signal_id
          where s.stream_partition = $1`,
        [partition],
      );
      expect(written[0]).toEqual({ n: total - 1, poison: 0 });
      const { rows: cp } = await db.query(
        `select failures, last_error from behavior_stream_checkpoints where consumer = 'test.flaky' and stream_partition = $1`,
        [partition],
      );
      expect(cp[0]).toEqual({ failures: 0, last_error: 'Error: cannot handle poison' });

      flaky.broken = false;
      const replays = app.get(ParkedSignalReplayService);
      expect(await replays.replay('test.flaky', 100)).toEqual({ replayed: 1, failed: 0 });
      expect(await replays.replay('test.flaky', 100)).toEqual({ replayed: 0, failed: 0 });
      const { rows: after } = await db.query<{ n: number; poison: number }>(
        `select count(*)::int n, count(*) filter (where s.attributes->>'contentId' = 'poison')::int poison
           from stream_test_flaky f join behavior_signals s on s.id = f.signal_id
          where s.stream_partition = $1`,
        [partition],
      );
      expect(after[0]).toEqual({ n: total, poison: 1 });
    } finally {
      await app.close();
    }
  });

  it('a consumer with lingerMs takes a short batch once its oldest signal is that old, a full one at once', async () => {
    const app = await boot(database, 'all', LingeringConsumerModule);
    try {
      const ingestion = app.get(SignalIngestionService);
      const one = (n: number, user: string) =>
        Array.from({ length: n }, (_, i) => ({
          schemaId: 'content.view',
          userId: user,
          attributes: { contentId: `l-${i}` },
        }));
      // The consumer starts at the beginning of the stream: let it take what earlier tests left.
      await waitFor(
        async () => (await app.get(SignalStreamWorker).drain(['test.linger'])) === 0,
        (done) => done,
      );
      lingered.length = 0;
      const shortAt = Date.now();
      await ingestion.ingest('acme', one(5, 'linger-short'));
      await waitFor(
        () => lingered.length,
        (n) => n === 1,
        10_000,
      );
      expect(lingered[0].size).toBe(5);
      expect(lingered[0].at - shortAt).toBeGreaterThanOrEqual(LINGER_MS - 100);

      const fullAt = Date.now();
      await ingestion.ingest('acme', one(40, 'linger-full'));
      await waitFor(
        () => lingered.length,
        (n) => n === 2,
        10_000,
      );
      expect(lingered[1].size).toBe(40);
      expect(lingered[1].at - fullAt).toBeLessThan(LINGER_MS - 100);
    } finally {
      await app.close();
    }
  });
});
