import { randomBytes } from 'node:crypto';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { waitFor } from '../../../test/support/wait-for';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();

describe('processing (e2e): projection, metrics, insights, jobs', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;
  let adminKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        ai: { behavior: { metrics: { projection: { batchSize: 7 } }, stream: { pollIntervalMs: 50 } } },
      },
    });
    ingestKey = await createTenantWithKey(t, 'acme', ['ingest']);
    readKey = await createTenantWithKey(t, 'acme', ['read']);
    adminKey = await createTenantWithKey(t, 'acme', ['admin']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ingest = (items: unknown[]) =>
    t.request('POST', '/api/ai-behavior/signals/batch', { key: ingestKey, body: { signals: items } });

  it('projects ingested signals into daily metrics served by GET /users/{id}/metrics', async () => {
    const ts = day(0);
    const res = await ingest([
      {
        schemaId: 'content.view',
        userId: 'm-1',
        timestamp: ts,
        attributes: { contentId: 'a', durationSeconds: 10 },
      },
      {
        schemaId: 'content.view',
        userId: 'm-1',
        timestamp: ts,
        attributes: { contentId: 'b', durationSeconds: 2.5 },
      },
      { schemaId: 'content.view', userId: 'm-1', timestamp: ts, attributes: { contentId: 'a' } },
      { schemaId: 'feedback.text', userId: 'm-1', timestamp: ts, attributes: { text: 'nice', rating: 4 } },
      { schemaId: 'feedback.text', userId: 'm-1', timestamp: ts, attributes: { text: 'meh', rating: 1 } },
    ]);
    expect(res.status).toBe(200);
    const today = ts.slice(0, 10);
    const metrics = await waitFor(
      () =>
        t.request('GET', `/api/ai-behavior/users/m-1/metrics?startDate=${today}&endDate=${today}`, {
          key: readKey,
        }),
      (r) => r.body?.metrics?.find((m: any) => m.metricKey === 'engagement.signals')?.metricValue === 5,
    );
    expect(metrics.status).toBe(200);
    const byKey = Object.fromEntries(metrics.body.metrics.map((m: any) => [m.metricKey, m]));
    expect(byKey['engagement.view']).toMatchObject({
      metricValue: 3,
      metricType: 'count',
      metricDate: today,
    });
    expect(byKey['engagement.view_seconds']).toMatchObject({ metricValue: 12.5, metricType: 'sum' });
    expect(byKey['engagement.distinct_content']).toMatchObject({ metricValue: 2, metricType: 'distinct' });
    expect(byKey['feedback.rating_avg']).toMatchObject({ metricValue: 2.5, metricType: 'avg' });
    expect(byKey['engagement.schemas']).toMatchObject({ metricValue: 2, metricType: 'distinct' });
    expect(byKey['engagement.dwell_seconds']).toMatchObject({ metricValue: 12.5 });
    expect(byKey['engagement.schema_signals:content.view']).toMatchObject({
      metricValue: 3,
      attributes: { schemaId: 'content.view' },
    });
    const one = await t.request(
      'GET',
      `/api/ai-behavior/users/m-1/metrics?metricKey=engagement.view&startDate=${today}`,
      {
        key: readKey,
      },
    );
    expect(one.body.metrics).toHaveLength(1);
    const prefixed = await t.request(
      'GET',
      `/api/ai-behavior/users/m-1/metrics?metricKey=engagement.schema_signals:*`,
      {
        key: readKey,
      },
    );
    expect(prefixed.body.metrics.map((m: any) => m.metricKey).sort()).toEqual([
      'engagement.schema_signals:content.view',
      'engagement.schema_signals:feedback.text',
    ]);
  });

  it('rejects bad metric queries and needs the read scope', async () => {
    const bad = await t.request('GET', '/api/ai-behavior/users/m-1/metrics?startDate=2025-13-45', {
      key: readKey,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    const forbidden = await t.request('GET', '/api/ai-behavior/users/m-1/metrics', { key: ingestKey });
    expect(forbidden.status).toBe(403);
  });

  it('serves insights, computing a missing one on read (computeOnRead on)', async () => {
    await ingest([
      { schemaId: 'content.view', userId: 'fresh-1', attributes: { contentId: 'x', durationSeconds: 60 } },
    ]);
    await waitFor(
      () =>
        t.request('GET', '/api/ai-behavior/users/fresh-1/metrics?metricKey=engagement.signals', {
          key: readKey,
        }),
      (r) => r.body?.metrics?.length === 1,
    );
    const res = await t.request('GET', '/api/ai-behavior/users/fresh-1/insights', { key: readKey });
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('fresh-1');
    const engagement = res.body.insights.find((i: any) => i.insightType === 'engagement');
    const segment = res.body.insights.find((i: any) => i.insightType === 'segment');
    // docs/insights.md with W = 30, one signal today with 60 s of dwell: activity 1/30,
    // density (1 / 1) / 20 = 0.05, recency 1 − (seconds ago) / 30 days ≈ 1, dwell 60 / 600 = 0.1.
    expect(Object.keys(engagement.scores).sort()).toEqual([
      'engagement_score',
      'interaction_density',
      'recency_index',
    ]);
    expect(engagement.scores.interaction_density).toBe(0.05);
    expect(engagement.scores.recency_index).toBeCloseTo(1, 3);
    expect(engagement.scores.engagement_score).toBeCloseTo(
      0.35 * (1 / 30) + 0.25 * 0.05 + 0.25 * 1 + 0.15 * 0.1,
      3,
    );
    expect(engagement.labels.engagement_level).toBe('low');
    expect(engagement.labels.preferred_schemas).toEqual(['content.view']);
    expect(segment.segment).toBe('new');
    expect(engagement.segment).toBe('new');
    expect(Date.parse(engagement.validUntil)).toBeGreaterThan(Date.now());
    const only = await t.request('GET', '/api/ai-behavior/users/fresh-1/insights?insightType=segment', {
      key: readKey,
    });
    expect(only.body.insights.map((i: any) => i.insightType)).toEqual(['segment']);
  });

  it('lists the scheduled tasks and runs segmentation now (tenant admin: own tenant)', async () => {
    const list = await t.request('GET', '/api/ai-behavior/jobs', { key: adminKey });
    expect(list.status).toBe(200);
    expect(list.body.runnerType).toBe('in-process');
    expect(list.body.tasks.map((x: any) => x.id).sort()).toEqual([
      'anomaly-scan',
      'pattern-detection',
      'privacy-erasure',
      'retention',
      'segmentation',
      'webhook-delivery',
    ]);
    const run = await t.request('POST', '/api/ai-behavior/jobs/segmentation/run', { key: adminKey });
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('completed');
    expect(run.body.result.users).toBeGreaterThanOrEqual(2);
    const pattern = await t.request('POST', '/api/ai-behavior/jobs/pattern-detection/run', {
      key: TEST_ADMIN_KEY,
    });
    expect(pattern.body.status).toBe('completed');
    const after = await t.request('GET', '/api/ai-behavior/jobs', { key: adminKey });
    expect(after.body.tasks.find((x: any) => x.id === 'segmentation').lastRun.status).toBe('completed');
  });

  it('GET /api/admin/consumers shows every consumer per partition: owner, consumed, lag; admin key only', async () => {
    const before = await t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY });
    expect(before.status).toBe(200);
    const consumed = (body: any) => body.items.find((c: any) => c.name === 'metrics').signalsConsumed;
    await ingest([
      { schemaId: 'content.view', userId: 'lag-1', timestamp: day(0), attributes: { contentId: 'x' } },
    ]);
    const after = await waitFor(
      () => t.request('GET', '/api/admin/consumers', { key: TEST_ADMIN_KEY }),
      (r) => consumed(r.body) === consumed(before.body) + 1 && r.body.items[0].lagSignals === 0,
    );
    const metrics = after.body.items.find((c: any) => c.name === 'metrics');
    expect(metrics).toMatchObject({ delivery: 'transactional', lagSignals: 0, lagSeconds: 0, parked: 0 });
    expect(metrics.partitions).toHaveLength(16);
    expect(metrics.partitions.map((p: any) => p.partition)).toEqual([...Array(16).keys()]);
    // This all-in-one process holds every partition's lease.
    expect(new Set(metrics.partitions.map((p: any) => p.owner)).size).toBe(1);
    expect(metrics.partitions[0].owner).toEqual(expect.any(String));
    expect(metrics.partitions.every((p: any) => p.failures === 0 && p.lastError === null)).toBe(true);

    const parked = await t.request('GET', '/api/admin/consumers/metrics/parked', { key: TEST_ADMIN_KEY });
    expect(parked.status).toBe(200);
    expect(parked.body).toEqual({ items: [], nextCursor: null });
    const unknown = await t.request('GET', '/api/admin/consumers/nope/parked', { key: TEST_ADMIN_KEY });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('consumer_not_found');
    const badLimit = await t.request('GET', '/api/admin/consumers/metrics/parked?limit=0', {
      key: TEST_ADMIN_KEY,
    });
    expect(badLimit.status).toBe(400);
    const replay = await t.request('POST', '/api/admin/consumers/metrics/parked/replay', {
      key: TEST_ADMIN_KEY,
    });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: 0, failed: 0 });
    // A tenant key, even an admin-scoped one, does not see the service-wide stream.
    const tenant = await t.request('GET', '/api/admin/consumers', { key: adminKey });
    expect(tenant.status).toBe(401);
  });
});

describe('processing (e2e): computeOnRead off', () => {
  let t: TestApp;
  let readKey: string;
  let ingestKey: string;

  beforeAll(async () => {
    t = await startTestApp({ overrides: { ai: { behavior: { insights: { computeOnRead: false } } } } });
    ingestKey = await createTenantWithKey(t, 'acme', ['ingest']);
    readKey = await createTenantWithKey(t, 'acme', ['read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves only stored insights until a job wrote them', async () => {
    await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: { schemaId: 'content.view', userId: 'lazy-1', attributes: { contentId: 'x' } },
    });
    await waitFor(
      () => t.request('GET', '/api/ai-behavior/users/lazy-1/metrics', { key: readKey }),
      (r) => r.body?.metrics?.length > 0,
    );
    const before = await t.request('GET', '/api/ai-behavior/users/lazy-1/insights', { key: readKey });
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ userId: 'lazy-1', insights: [] });
    const run = await t.request('POST', '/api/ai-behavior/jobs/pattern-detection/run', {
      key: TEST_ADMIN_KEY,
    });
    expect(run.body).toMatchObject({ status: 'completed', result: { users: 1 } });
    const after = await t.request('GET', '/api/ai-behavior/users/lazy-1/insights', { key: readKey });
    expect(after.body.insights.map((i: any) => i.insightType).sort()).toEqual(['engagement', 'segment']);
  });
});

describe('processing (e2e): BullMQ runner', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      withRedis: true,
      overrides: {
        ai: { behavior: { processing: { bullmq: { prefix: `t${randomBytes(4).toString('hex')}` } } } },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is chosen when Redis is configured and runs the same scheduled tasks', async () => {
    const list = await t.request('GET', '/api/ai-behavior/jobs', { key: TEST_ADMIN_KEY });
    expect(list.body.runnerType).toBe('bullmq');
    expect(list.body.tasks.map((x: any) => x.id).sort()).toEqual([
      'anomaly-scan',
      'pattern-detection',
      'privacy-erasure',
      'retention',
      'segmentation',
      'webhook-delivery',
    ]);
    expect(list.body.tasks.map((x: any) => typeof x.nextRunAt)).toEqual(Array(6).fill('string'));
    const run = await t.request('POST', '/api/ai-behavior/jobs/segmentation/run', { key: TEST_ADMIN_KEY });
    expect(run.body).toMatchObject({ status: 'completed', name: 'segmentation', result: { users: 0 } });
    const health = await t.request('GET', '/api/ai-behavior/health');
    expect(health.status).toBe(200);
    expect(health.body.checks.jobRunner).toEqual({ status: 'up', detail: 'bullmq: running' });
  });
});
