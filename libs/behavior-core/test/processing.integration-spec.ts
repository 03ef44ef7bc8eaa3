import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  BehaviorAnalysisService,
  BehaviorCoreModule,
  BehaviorJobHandler,
  BehaviorJobRegistry,
  BehaviorScheduledTasks,
  BullMqJobRunner,
  CLOCK,
  InProcessJobRunner,
  JOB_RUNNER,
  MetricReplayService,
  RegisterMetricProjector,
  SignalIngestionService,
  SignalStreamWorker,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type JobRunner,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { deepMerge, loadConfig } from '../../../apps/api/src/config/load-config';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '../../../test/support/test-database';
import { testDatabaseModule } from '../../../test/support/test-database-module';

// A projector contributed by a module of its own: no core file names it.
@RegisterMetricProjector()
@Injectable()
class ScrollDepthProjector implements BehaviorMetricProjector {
  readonly name = 'scroll-depth';
  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === 'content.view' && typeof signal.attributes.scrollDepth === 'number';
  }
  project(signal: BehaviorSignal, _d: unknown, acc: MetricAccumulator): void {
    acc.max('test.scroll_max', signal.attributes.scrollDepth as number);
    acc.min('test.scroll_min', signal.attributes.scrollDepth as number);
    acc.avg('test.scroll_avg', signal.attributes.scrollDepth as number);
  }
}
@Module({ providers: [ScrollDepthProjector] })
class ScrollDepthModule {}

function settings(overrides: unknown = {}) {
  return loadConfig({
    env: {},
    // 'nope' is declared by the "host" but registered by no provider: the registry's own check.
    hostExtensions: { metricProjectors: ['scroll-depth', 'nope'] },
    overrides: deepMerge(
      {
        ai: {
          behavior: {
            metrics: { projectors: ['engagement', 'scroll-depth'], projection: { batchSize: 3 } },
            processing: { role: 'api' },
          },
        },
      },
      overrides,
    ),
  }).ai.behavior;
}

async function boot(database: TestDatabase, now?: Date, overrides?: unknown) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      testDatabaseModule(database.url),
      BehaviorCoreModule.forRoot({ settings: settings(overrides) }),
      ScrollDepthModule,
    ],
  })
    .overrideProvider(CLOCK)
    .useValue({ now: () => now ?? new Date() })
    .compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return moduleRef;
}

const METRICS_SQL = `select tenant_id, user_id, to_char(metric_date, 'YYYY-MM-DD') d, metric_key, metric_value::text v,
  metric_type, value_sum::text s, value_count::text n, attributes from behavior_signal_metrics order by 1, 2, 3, 4`;

describe('metric projection (integration)', () => {
  let database: TestDatabase;
  let db: Client;
  let app: Awaited<ReturnType<typeof boot>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    app = await boot(database);
  });
  afterAll(async () => {
    await app?.close();
    await db?.end();
    await database?.drop();
  });

  const view = (userId: string, attributes: Record<string, unknown>, timestamp = '2026-11-20T10:00:00Z') => ({
    schemaId: 'content.view',
    userId,
    timestamp,
    attributes,
  });

  it('picks up a projector registered by a test module and projects exact aggregates in small batches', async () => {
    const ingestion = app.get(SignalIngestionService);
    const results = await ingestion.ingest('t1', [
      view('u1', { contentId: 'a', durationSeconds: 0.1, scrollDepth: 0.5 }),
      view('u1', { contentId: 'b', durationSeconds: 0.2, scrollDepth: 0.25 }),
      view('u1', { contentId: 'a', durationSeconds: 3, scrollDepth: 1 }),
      view('u1', { contentId: 'c' }, '2026-11-21T23:59:59Z'),
      {
        schemaId: 'feedback.text',
        userId: 'u1',
        timestamp: '2026-11-20T11:00:00Z',
        attributes: { text: 'x', rating: 2 },
      },
      {
        schemaId: 'feedback.text',
        userId: 'u1',
        timestamp: '2026-11-20T12:00:00Z',
        attributes: { text: 'y', rating: 3 },
      },
      {
        schemaId: 'feedback.text',
        userId: 'u1',
        timestamp: '2026-11-20T12:00:00Z',
        attributes: { text: 'z', rating: 3 },
      },
      {
        schemaId: 'content.view',
        sessionId: 's-anon',
        timestamp: '2026-11-20T12:00:00Z',
        attributes: { contentId: 'anon' },
      },
    ]);
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    const projected = await app.get(SignalStreamWorker).drain(['metrics']);
    expect(projected).toBe(8);
    const { rows } = await db.query(
      `select metric_key, metric_value::text v, metric_type from behavior_signal_metrics
        where user_id = 'u1' and metric_date = '2026-11-20' order by metric_key`,
    );
    const v = Object.fromEntries(rows.map((r) => [r.metric_key, r.v]));
    expect(v['engagement.view']).toBe('3');
    expect(Number(v['engagement.view_seconds'])).toBe(3.3); // exact numeric sum of 0.1 + 0.2 + 3
    expect(v['engagement.view_seconds']).toBe('3.3');
    expect(v['engagement.distinct_content']).toBe('2');
    expect(Number(v['feedback.rating_avg'])).toBeCloseTo(8 / 3, 12);
    expect(v['engagement.signals']).toBe('6');
    expect(v['engagement.schemas']).toBe('2');
    expect(v['test.scroll_max']).toBe('1');
    expect(v['test.scroll_min']).toBe('0.25');
    expect(Number(v['test.scroll_avg'])).toBeCloseTo(1.75 / 3, 12);
    const { rows: cp } = await db.query(
      `select sum(signals)::int n from behavior_stream_checkpoints where consumer = 'metrics'`,
    );
    expect(cp[0].n).toBe(8);
    expect(await app.get(SignalStreamWorker).drain(['metrics'])).toBe(0);
  });

  it('does not skip a signal whose transaction commits after a later one (outbox pitfall)', async () => {
    const early = new Client({ connectionString: database.url });
    await early.connect();
    try {
      await early.query('begin');
      await early.query(`select pg_current_xact_id()`); // takes the lower transaction id now
      await early.query(
        `insert into behavior_signals (id, tenant_id, user_id, schema_id, schema_version, occurred_at, ingested_at, attributes)
         values (gen_random_uuid(), 't2', 'late', 'content.view', 1, '2026-11-20T10:00:00Z', now(), '{"contentId":"x"}')`,
      );
      await app.get(SignalIngestionService).ingest('t2', [view('late', { contentId: 'y' })]);
      expect(await app.get(SignalStreamWorker).drain(['metrics'])).toBe(0); // the later commit waits for the earlier transaction
      await early.query('commit');
      expect(await app.get(SignalStreamWorker).drain(['metrics'])).toBe(2);
      const { rows } = await db.query(
        `select metric_value::int v from behavior_signal_metrics where tenant_id = 't2' and metric_key = 'engagement.signals'`,
      );
      expect(rows[0].v).toBe(2);
    } finally {
      await early.end();
    }
  });

  it('signal-replay from scratch reproduces live projection exactly (all projectors, one projector, a date range)', async () => {
    const before = (await db.query(METRICS_SQL)).rows;
    const replay = app.get(MetricReplayService);
    const all = await replay.replay({ tenantId: 't1' });
    expect(all.signals).toBe(8);
    expect((await db.query(METRICS_SQL)).rows).toEqual(before);
    await replay.replay({ tenantId: 't1', projector: 'scroll-depth' });
    expect((await db.query(METRICS_SQL)).rows).toEqual(before);
    await replay.replay({ tenantId: 't1', from: '2026-11-21', to: '2026-11-21' });
    expect((await db.query(METRICS_SQL)).rows).toEqual(before);
    // A backfill after wiping one projector's rows rebuilds them.
    await db.query(
      `update behavior_metric_days
          set metrics = metrics - array(select key from jsonb_each(metrics) where value ->> 'p' = 'scroll-depth')`,
    );
    await replay.replay({ tenantId: 't1', projector: 'scroll-depth' });
    expect((await db.query(METRICS_SQL)).rows).toEqual(before);
  });

  it('fails fast on a configured projector nobody registered', async () => {
    await expect(
      boot(database, undefined, { ai: { behavior: { metrics: { projectors: ['engagement', 'nope'] } } } }),
    ).rejects.toThrow(/ai\.behavior\.metrics\.projectors lists unknown metric projector\(s\) "nope"/);
  });
});

describe('insights over hand-built metrics (integration)', () => {
  let database: TestDatabase;
  let db: Client;
  const now = new Date('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    // u-steady: 15 active days in the window, 10 signals/day (6 content.view + 4 feedback.text), 300 s dwell/day,
    // last activity 3 days ago (2026-11-17 12:00Z), first seen 2026-10-01.
    for (let i = 3; i < 18; i++) {
      const d = new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10);
      await insertMetric('u-steady', d, 'engagement.signals', 10, 'count');
      await insertMetric('u-steady', d, 'engagement.dwell_seconds', 300, 'sum');
      await insertMetric('u-steady', d, 'engagement.schema_signals:content.view', 6, 'count', {
        schemaId: 'content.view',
      });
      await insertMetric('u-steady', d, 'engagement.schema_signals:feedback.text', 4, 'count', {
        schemaId: 'feedback.text',
      });
    }
    await insertMetric('u-steady', '2026-10-01', 'engagement.signals', 1, 'count');
    await insertMetric(
      'u-steady',
      '2026-11-17',
      'engagement.last_activity',
      Date.parse('2026-11-17T12:00:00Z'),
      'max',
    );
    // u-new: first seen yesterday, 30 signals, last activity 12 h ago.
    await insertMetric('u-new', '2026-11-19', 'engagement.signals', 30, 'count');
    await insertMetric(
      'u-new',
      '2026-11-19',
      'engagement.last_activity',
      Date.parse('2026-11-20T00:00:00Z'),
      'max',
    );
    // u-gone: last seen 40 days ago.
    await insertMetric('u-gone', '2026-10-11', 'engagement.signals', 5, 'count');
    await insertMetric(
      'u-gone',
      '2026-10-11',
      'engagement.last_activity',
      Date.parse('2026-10-11T12:00:00Z'),
      'max',
    );
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  function insertMetric(user: string, d: string, key: string, value: number, type: string, attributes = {}) {
    return db.query(
      `insert into behavior_metric_days as m (tenant_id, user_id, metric_date, metrics)
       values ('acme', $1, $2, jsonb_build_object($3::text,
                 jsonb_build_object('t', $5::text, 'p', 'engagement', 'n', '1', 'v', $4::text, 'a', $6::jsonb)))
       on conflict (tenant_id, user_id, metric_date) do update set metrics = m.metrics || excluded.metrics`,
      [user, d, key, value, type, attributes],
    );
  }

  async function analyze(overrides: unknown = {}) {
    const app = await boot(database, now, overrides);
    try {
      const run = await app.get(BehaviorAnalysisService).analyzeScope({ kind: 'all' }, 2);
      const { rows } = await db.query(
        `select user_id, insight_type, scores, labels, segment, evidence from behavior_insights order by 1, 2`,
      );
      return { run, rows };
    } finally {
      await app.close();
    }
  }

  it('gives the documented values (docs/insights.md worked example)', async () => {
    const { run, rows } = await analyze();
    expect(run.users).toBe(3);
    const steady = rows.find((r) => r.user_id === 'u-steady' && r.insight_type === 'engagement');
    // activity 15/30 = 0.5; density (150/15)/20 = 0.5; recency 1 − 3/30 = 0.9; dwell 300/600 = 0.5
    // score = 0.35·0.5 + 0.25·0.5 + 0.25·0.9 + 0.15·0.5 = 0.6
    expect(steady.scores).toEqual({ engagement_score: 0.6, interaction_density: 0.5, recency_index: 0.9 });
    expect(steady.labels.preferred_schemas).toEqual(['content.view', 'feedback.text']);
    expect(steady.evidence.interaction_density).toMatchObject({ signals: 150, active_days: 15 });
    expect(steady.segment).toBe('active');
    const segments = Object.fromEntries(
      rows.filter((r) => r.insight_type === 'segment').map((r) => [r.user_id, r.segment]),
    );
    expect(segments).toEqual({ 'u-gone': 'dormant', 'u-new': 'new', 'u-steady': 'active' });
  });

  it('moves segments as the thresholds say', async () => {
    const { rows } = await analyze({
      ai: {
        behavior: {
          segmentation: { thresholds: { superEngagedScore: 0.6, newWithinDays: 1, dormantAfterDays: 45 } },
        },
      },
    });
    const segments = Object.fromEntries(
      rows.filter((r) => r.insight_type === 'segment').map((r) => [r.user_id, r.segment]),
    );
    // u-new was first seen 1 day ago: no longer "new" within 1 day; its score 0.35·1/30 + 0.25·1 + 0.25·(1 − 0.5/30) < 0.6.
    expect(segments).toEqual({ 'u-gone': 'active', 'u-new': 'active', 'u-steady': 'super_engaged' });
  });
});

describe('job runners (integration)', () => {
  @BehaviorScheduledTasks()
  @Injectable()
  class TickTasks {
    scheduledTasks() {
      return [{ id: 'tick', cron: '* * * * * *', handler: 'tick' }];
    }
  }
  const calls: string[] = [];
  @Injectable()
  class TickHandler {
    failNext = 0;
    @BehaviorJobHandler('tick')
    async tick(payload: Record<string, unknown>, context: { attempt: number }) {
      if (this.failNext > 0) {
        this.failNext--;
        throw new Error('flaky');
      }
      calls.push(String(payload.source ?? 'cron'));
      return { attempt: context.attempt };
    }
  }

  async function bootRunner(runner: JobRunner, extra: any[] = []) {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [
        { provide: JOB_RUNNER, useValue: runner },
        BehaviorJobRegistry,
        TickTasks,
        TickHandler,
        ...extra,
      ],
    }).compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    return moduleRef;
  }

  const runners: [string, () => JobRunner][] = [
    ['in-process', () => new InProcessJobRunner({ attempts: 3, retryDelayMs: 10 })],
    [
      'bullmq',
      () =>
        new BullMqJobRunner({
          redisUrl: testRedisUrl(),
          prefix: `t${randomBytes(4).toString('hex')}`,
          attempts: 3,
          backoffMs: 10,
        }),
    ],
  ];

  it.each(runners)(
    'the same scheduled task runs on the %s runner (cron, runNow, retry with backoff)',
    async (_n, make) => {
      calls.length = 0;
      const runner = make();
      const app = await bootRunner(runner);
      try {
        await runner.start();
        const until = Date.now() + 5000;
        while (!calls.includes('cron') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        expect(calls).toContain('cron');
        app.get(TickHandler).failNext = 1;
        const run = await runner.runNow('tick', { source: 'now' });
        expect(run).toMatchObject({ status: 'completed', name: 'tick', result: { attempt: 2 } });
        app.get(TickHandler).failNext = 5;
        const failed = await runner.runNow('tick', { source: 'now' });
        expect(failed).toMatchObject({ status: 'failed', error: 'flaky' });
        app.get(TickHandler).failNext = 0;
        const tasks = await runner.tasks();
        expect(tasks).toHaveLength(1);
        expect(tasks[0]).toMatchObject({ id: 'tick', cron: '* * * * * *' });
        expect(tasks[0].nextRunAt).toEqual(expect.any(String));
      } finally {
        await runner.stop();
        await app.close();
      }
    },
  );

  it('fails start-up on a duplicate task id and on a handler no task runs', async () => {
    @BehaviorScheduledTasks()
    @Injectable()
    class Duplicate {
      scheduledTasks() {
        return [{ id: 'tick', cron: '* * * * *', handler: 'tick' }];
      }
    }
    await expect(bootRunner(new InProcessJobRunner(), [Duplicate])).rejects.toThrow(
      /"tick" is declared twice/,
    );
    @Injectable()
    class Orphan {
      @BehaviorJobHandler('orphan')
      async run() {
        return null;
      }
    }
    await expect(bootRunner(new InProcessJobRunner(), [Orphan])).rejects.toThrow(
      /"orphan" have no scheduled task/,
    );
  });
});
