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
  type RetentionRunResult,
} from '@lssm/behavior-core';
import { OverlayModule } from '@lssm/overlay/nest';
import { loadConfig } from '../../../apps/api/src/config/load-config';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { testDatabaseModule } from '../../../test/support/test-database-module';

// Pinned: resolved alerts keep 30 days (resolved before 2026-11-02T12:00Z go), overlay audit rows
// 7 days (applied before 2026-11-25T12:00Z go), completed erasure audits 100 days (finished before
// 2026-08-24T12:00Z go).
const NOW = new Date('2026-12-02T12:00:00.000Z');

describe('retention of alerts, overlay audit rows and erasure audits (integration)', () => {
  let database: TestDatabase;
  let db: Client;
  let app: Awaited<ReturnType<ReturnType<typeof Test.createTestingModule>['compile']>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    const settings = loadConfig({
      env: {},
      overrides: {
        ai: {
          behavior: {
            processing: { role: 'api' },
            retention: { alertsDays: 30, overlayAuditDays: 7, erasureAuditDays: 100 },
          },
        },
      },
    }).ai.behavior;
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
        // The overlay lib owns overlay_audit; the retention job asks it to delete its old rows.
        OverlayModule.forRoot({ keyEncryptionKey: null, isGlobal: true }),
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

  const alertKeys = async () =>
    (
      await db.query<{ k: string }>(
        `select tenant_id || ':' || incident_key as k from behavior_alerts order by 1`,
      )
    ).rows.map((r) => r.k);
  const auditKeys = async () =>
    (
      await db.query<{ k: string }>(
        `select tenant_id || ':' || overlay_id as k from overlay_audit order by 1`,
      )
    ).rows.map((r) => r.k);

  it('deletes resolved alerts and overlay audit rows past their retention, keeps open alerts and recent rows', async () => {
    await db.query(
      `insert into behavior_alerts (tenant_id, user_id, rule, severity, incident_key, created_at, resolved_at) values
         ('t1', 'u1', 'r', 'low', 'resolved-old', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'),
         ('t1', 'u1', 'r', 'low', 'resolved-just-kept', '2026-09-01T00:00:00Z', '2026-11-02T13:00:00Z'),
         ('t1', 'u1', 'r', 'low', 'open-ancient', '2025-01-01T00:00:00Z', null),
         ('t2', 'u1', 'r', 'low', 'resolved-old', '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z')`,
    );
    await db.query(
      `insert into overlay_audit (tenant_id, overlay_id, version, capability, context, applied_at) values
         ('t1', 'old', 1, 'c', '{"userId":"u1"}', '2026-11-01T00:00:00Z'),
         ('t1', 'recent', 1, 'c', '{"userId":"u1"}', '2026-11-30T00:00:00Z'),
         ('t2', 'old', 1, 'c', '{}', '2026-11-25T11:00:00Z')`,
    );
    const runner = app.get<InProcessJobRunner>(JOB_RUNNER);

    // A tenant's run touches only that tenant's rows.
    const own = await runner.runNow('retention', {}, { tenantId: 't1' });
    expect(own.status).toBe('completed');
    expect(own.result).toMatchObject({
      tenantId: 't1',
      alertsResolvedBefore: '2026-11-02T12:00:00.000Z',
      overlayAuditBefore: '2026-11-25T12:00:00.000Z',
      alerts: 1,
      overlayAudit: 1,
    } satisfies Partial<RetentionRunResult>);
    expect(await alertKeys()).toEqual(['t1:open-ancient', 't1:resolved-just-kept', 't2:resolved-old']);
    expect(await auditKeys()).toEqual(['t1:recent', 't2:old']);

    // The service-wide run takes the other tenants' old rows; open alerts stay whatever their age.
    const all = await runner.runNow('retention', {});
    expect(all.result).toMatchObject({ tenantId: null, alerts: 1, overlayAudit: 1 });
    expect(await alertKeys()).toEqual(['t1:open-ancient', 't1:resolved-just-kept']);
    expect(await auditKeys()).toEqual(['t1:recent']);

    const again = await runner.runNow('retention', {});
    expect(again.result).toMatchObject({ alerts: 0, overlayAudit: 0 });
  });

  it('deletes completed erasure audits past their retention; pending and failed ones stay whatever their age', async () => {
    await db.query(
      `insert into behavior_erasures (id, tenant_id, kind, user_id, user_hash, requested_by, status, requested_at, finished_at) values
         ('00000000-0000-4000-8000-000000000001', 't1', 'user', null, 'h1', 'k', 'completed', '2026-01-01Z', '2026-01-02Z'),
         ('00000000-0000-4000-8000-000000000002', 't1', 'user', null, 'h2', 'k', 'completed', '2026-11-01Z', '2026-11-02Z'),
         ('00000000-0000-4000-8000-000000000003', 't1', 'user', 'u-pending', 'h3', 'k', 'failed', '2026-01-01Z', '2026-01-02Z'),
         ('00000000-0000-4000-8000-000000000004', 't2', 'tenant', null, null, 'admin', 'completed', '2026-01-01Z', '2026-01-02Z')`,
    );
    const ids = async () =>
      (await db.query<{ id: string }>(`select id from behavior_erasures order by id`)).rows.map((r) =>
        r.id.slice(-1),
      );
    const runner = app.get<InProcessJobRunner>(JOB_RUNNER);
    const own = await runner.runNow('retention', {}, { tenantId: 't1' });
    expect(own.result).toMatchObject({ erasureAuditsBefore: '2026-08-24T12:00:00.000Z', erasureAudits: 1 });
    expect(await ids()).toEqual(['2', '3', '4']);
    const all = await runner.runNow('retention', {});
    expect(all.result).toMatchObject({ erasureAudits: 1 });
    expect(await ids()).toEqual(['2', '3']);
  });
});
