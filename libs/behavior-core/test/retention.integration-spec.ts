import 'reflect-metadata';
import { DiscoveryModule } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import {
  BehaviorCoreModule,
  CLOCK,
  InProcessJobRunner,
  JOB_RUNNER,
  RetentionJob,
  SignalIngestionService,
  type RetentionRunResult,
} from '@lssm/behavior-core';
import { loadConfig } from '../../../apps/api/src/config/load-config';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testDatabaseModule } from '../../../test/support/test-database-module';

// Pinned so the cutoffs are exact: signals keep 180 days (2026-06-05T12:00Z), search.query
// declares 90 (2026-09-03T12:00Z), feedback.text declares 365 but the service caps it at 180;
// metrics keep 365 days (before 2025-12-02), insights 90.
const NOW = new Date('2026-12-02T12:00:00.000Z');

describe('retention (integration)', () => {
  let database: TestDatabase;
  let db: Client;
  let app: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    const settings = loadConfig({ env: {}, overrides: { ai: { behavior: { processing: { role: 'api' } } } } })
      .ai.behavior;
    app = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot(),
        DiscoveryModule,
        testDatabaseModule(database.url),
        BehaviorCoreModule.forRoot({
          settings,
          seams: {
            jobRunner: { useFactory: () => new InProcessJobRunner({ attempts: 1, retryDelayMs: 0 }) },
          },
        }),
      ],
    })
      .overrideProvider(CLOCK)
      .useValue({ now: () => NOW })
      .compile();
    app.useLogger(false);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await db?.end();
    await database?.drop();
  });

  const view = (tenant: string, key: string, timestamp: string) => ({
    tenant,
    signal: {
      schemaId: 'content.view',
      userId: 'u1',
      signalKey: key,
      timestamp,
      attributes: { contentId: key },
    },
  });
  const search = (key: string, timestamp: string) => ({
    tenant: 't1',
    signal: { schemaId: 'search.query', userId: 'u1', signalKey: key, timestamp, attributes: { query: key } },
  });
  const feedback = (key: string, timestamp: string) => ({
    tenant: 't1',
    signal: { schemaId: 'feedback.text', userId: 'u1', signalKey: key, timestamp, attributes: { text: key } },
  });

  async function keys(table: 'behavior_signals' | 'behavior_signal_keys'): Promise<string[]> {
    const { rows } = await db.query<{ k: string }>(
      `select tenant_id || ':' || signal_key k from ${table} order by 1`,
    );
    return rows.map((r) => r.k);
  }

  async function partitions(): Promise<string[]> {
    const { rows } = await db.query<{ relname: string }>(
      `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'behavior_signals'::regclass order by 1`,
    );
    return rows.map((r) => r.relname);
  }

  it('is a scheduled task like the analysis jobs', async () => {
    const tasks = await app.get<InProcessJobRunner>(JOB_RUNNER).tasks();
    expect(tasks.find((t) => t.id === 'retention')).toMatchObject({
      cron: '30 3 * * *',
      handler: 'retention',
    });
  });

  it('deletes what outlived its retention: per schema, capped service-wide, whole months, tenant by tenant', async () => {
    const ingestion = app.get(SignalIngestionService);
    const items = [
      view('t1', 'may', '2026-05-20T10:00:00Z'), // its whole month is past the cutoff
      view('t1', 'june-old', '2026-06-04T10:00:00Z'),
      view('t1', 'june-kept', '2026-06-06T10:00:00Z'),
      view('t1', 'recent', '2026-11-30T10:00:00Z'),
      search('search-old', '2026-09-01T10:00:00Z'),
      search('search-kept', '2026-09-05T10:00:00Z'),
      feedback('feedback-old', '2026-06-01T10:00:00Z'),
      feedback('feedback-kept', '2026-07-01T10:00:00Z'),
      view('t2', 'june-old', '2026-06-04T10:00:00Z'),
    ];
    for (const { tenant, signal } of items) {
      const [result] = await ingestion.ingest(tenant, [signal]);
      expect(result.status).toBe('accepted');
    }
    // Idempotency keys age by when they were stored, failed signals by when they failed.
    await db.query(
      `update behavior_signal_keys set created_at = '2026-06-01T00:00:00Z' where signal_key in ('june-old', 'may')`,
    );
    await db.query(
      `insert into failed_signals (id, tenant_id, schema_id, payload, reasons, failed_at) values
         (gen_random_uuid(), 't1', 'content.view', '{}', '[]', '2026-06-01T00:00:00Z'),
         (gen_random_uuid(), 't1', 'content.view', '{}', '[]', '2026-11-01T00:00:00Z')`,
    );
    await db.query(
      `insert into behavior_metric_days (tenant_id, user_id, metric_date, metrics)
       values ('t1', 'u1', '2025-12-01', $1), ('t1', 'u1', '2025-12-02', $1), ('t2', 'u1', '2025-11-01', $1)`,
      [{ k: { t: 'count', p: 'p', n: '1', v: '1' } }],
    );
    await db.query(
      `insert into behavior_signal_metric_values (tenant_id, user_id, metric_date, metric_key, value)
       values ('t1', 'u1', '2025-12-01', 'd', 'a'), ('t1', 'u1', '2025-12-02', 'd', 'a')`,
    );
    await db.query(
      `insert into behavior_insights (tenant_id, user_id, insight_type, scores, labels, evidence, analyzed_at, valid_until, analysis_version)
       values ('t1', 'old', 'engagement', '{}', '[]', '{}', '2026-09-01T00:00:00Z', '2026-09-01T00:05:00Z', 'v'),
              ('t1', 'new', 'engagement', '{}', '[]', '{}', '2026-11-30T00:00:00Z', '2026-11-30T00:05:00Z', 'v')`,
    );
    expect(await partitions()).toContain('behavior_signals_y2026m05');
    const runner = app.get<InProcessJobRunner>(JOB_RUNNER);

    // A tenant's own run: only its rows, and no partition drop (that would touch other tenants).
    const own = await runner.runNow('retention', {}, { tenantId: 't1' });
    expect(own.status).toBe('completed');
    expect(own.result).toMatchObject({
      tenantId: 't1',
      partitionsDropped: [],
      signals: 4, // may, june-old, search-old, feedback-old
      signalKeys: 2,
      failedSignals: 1,
      metrics: 1,
      metricValues: 1,
      insights: 1,
      alerts: 0,
      // No overlay module in this host: nothing to age, said as null rather than 0.
      overlayAudit: null,
    } satisfies Partial<RetentionRunResult>);
    expect(await keys('behavior_signals')).toEqual([
      't1:feedback-kept',
      't1:june-kept',
      't1:recent',
      't1:search-kept',
      't2:june-old',
    ]);
    expect(await partitions()).toContain('behavior_signals_y2026m05');

    // The service-wide run drops whole expired months, then the rest of t2's old rows.
    const all = await runner.runNow('retention', {});
    expect(all.result).toMatchObject({
      tenantId: null,
      partitionsDropped: ['behavior_signals_y2026m05'],
      signals: 1,
      metrics: 1,
    });
    expect(await partitions()).not.toContain('behavior_signals_y2026m05');
    expect(await keys('behavior_signals')).toEqual([
      't1:feedback-kept',
      't1:june-kept',
      't1:recent',
      't1:search-kept',
    ]);
    const { rows } = await db.query<{ user_id: string }>('select user_id from behavior_insights');
    expect(rows.map((r) => r.user_id)).toEqual(['new']);

    // A late signal for a dropped month still lands: its partition comes back on demand.
    const [late] = await ingestion.ingest('t1', [view('t1', 'late-may', '2026-05-21T10:00:00Z').signal]);
    expect(late.status).toBe('accepted');
    expect(await keys('behavior_signals')).toContain('t1:late-may');

    // Running again right away finds nothing more to do except the late signal.
    const again = await app.get(RetentionJob).run({}, { jobId: 'j', attempt: 1 });
    expect(again).toMatchObject({ signals: 0, signalKeys: 0, failedSignals: 0, metrics: 0, insights: 0 });
    expect(again.partitionsDropped).toEqual(['behavior_signals_y2026m05']);
  });
});
