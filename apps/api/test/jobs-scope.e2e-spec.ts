import { randomBytes } from 'node:crypto';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { waitFor } from '../../../test/support/wait-for';

const lastRunOf = (body: any, id: string) => body.tasks.find((x: any) => x.id === id).lastRun;

// A tenant admin key sees only runs limited to its own tenant; the service admin key sees all.
describe('jobs (e2e): runs are scoped to the tenant that asked', () => {
  let t: TestApp;
  const keys: Record<string, { ingest: string; read: string; admin: string }> = {};

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { ai: { behavior: { stream: { pollIntervalMs: 50 } } } },
    });
    for (const tenant of ['acme', 'globex']) {
      keys[tenant] = {
        ingest: await createTenantWithKey(t, tenant, ['ingest']),
        read: await createTenantWithKey(t, tenant, ['read']),
        admin: await createTenantWithKey(t, tenant, ['admin']),
      };
    }
    // acme: 3 users, globex: 2 users.
    const users = { acme: ['a-1', 'a-2', 'a-3'], globex: ['g-1', 'g-2'] };
    for (const [tenant, ids] of Object.entries(users)) {
      const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
        key: keys[tenant].ingest,
        body: {
          signals: ids.map((userId) => ({
            schemaId: 'content.view',
            userId,
            attributes: { contentId: 'c' },
          })),
        },
      });
      expect(res.status).toBe(200);
      for (const userId of ids) {
        await waitFor(
          () =>
            t.request('GET', `/api/ai-behavior/users/${userId}/metrics?metricKey=engagement.signals`, {
              key: keys[tenant].read,
            }),
          (r) => r.body?.metrics?.length === 1,
        );
      }
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it("never shows a tenant the service-wide run or another tenant's run", async () => {
    const global = await t.request('POST', '/api/ai-behavior/jobs/pattern-detection/run', {
      key: TEST_ADMIN_KEY,
    });
    expect(global.status).toBe(200);
    expect(global.body).toMatchObject({ status: 'completed', result: { users: 5 } });
    expect(global.body.tenantId).toBeUndefined();

    const own = await t.request('POST', '/api/ai-behavior/jobs/pattern-detection/run', {
      key: keys.globex.admin,
    });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ status: 'completed', result: { users: 2 }, tenantId: 'globex' });

    // acme never ran it: no lastRun at all (before: the service-wide run with users: 5).
    const acme = await t.request('GET', '/api/ai-behavior/jobs', { key: keys.acme.admin });
    expect(acme.status).toBe(200);
    expect(lastRunOf(acme.body, 'pattern-detection')).toBeNull();
    expect(acme.body.tasks.map((x: any) => x.lastRun)).toEqual(Array(6).fill(null));

    const globex = await t.request('GET', '/api/ai-behavior/jobs', { key: keys.globex.admin });
    expect(lastRunOf(globex.body, 'pattern-detection')).toMatchObject({
      jobId: own.body.jobId,
      tenantId: 'globex',
      result: { users: 2 },
    });

    // The service admin sees the run over all tenants.
    const admin = await t.request('GET', '/api/ai-behavior/jobs', { key: TEST_ADMIN_KEY });
    expect(lastRunOf(admin.body, 'pattern-detection')).toMatchObject({
      jobId: global.body.jobId,
      result: { users: 5 },
    });

    // A run id is readable in its own scope only (and by the service admin).
    const path = (id: string) => `/api/ai-behavior/jobs/runs/${id}`;
    expect((await t.request('GET', path(own.body.jobId), { key: keys.globex.admin })).body).toMatchObject({
      status: 'completed',
      result: { users: 2 },
    });
    const foreign = await t.request('GET', path(own.body.jobId), { key: keys.acme.admin });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('job_run_not_found');
    expect((await t.request('GET', path(global.body.jobId), { key: keys.acme.admin })).status).toBe(404);
    expect((await t.request('GET', path(own.body.jobId), { key: TEST_ADMIN_KEY })).status).toBe(200);
    expect((await t.request('GET', path('no-such-run'), { key: TEST_ADMIN_KEY })).status).toBe(404);
  });
});

// An api-only process enqueues; with no worker running, the run would never finish.
describe('jobs (e2e): BullMQ run wait is bounded', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  let api: TestApp;
  let worker: TestApp | undefined;

  beforeAll(async () => {
    api = await startTestApp({
      withRedis: true,
      overrides: { ai: { behavior: { processing: { role: 'api', runWaitMs: 500, bullmq: { prefix } } } } },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('answers 202 with the run id when no worker finishes it in time, and the run can be read later', async () => {
    const started = Date.now();
    const run = await api.request('POST', '/api/ai-behavior/jobs/segmentation/run', { key: TEST_ADMIN_KEY });
    const took = Date.now() - started;
    expect(run.status).toBe(202);
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5_000);
    expect(run.body).toMatchObject({ name: 'segmentation', status: 'queued' });
    expect(typeof run.body.jobId).toBe('string');

    const pending = await api.request('GET', `/api/ai-behavior/jobs/runs/${run.body.jobId}`, {
      key: TEST_ADMIN_KEY,
    });
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ jobId: run.body.jobId, status: 'queued' });

    // A worker process on the same queue picks the run up; its outcome is then readable.
    worker = await startTestApp({
      database: api.database,
      withRedis: true,
      overrides: { ai: { behavior: { processing: { role: 'worker', bullmq: { prefix } } } } },
    });
    const done = await waitFor(
      () => api.request('GET', `/api/ai-behavior/jobs/runs/${run.body.jobId}`, { key: TEST_ADMIN_KEY }),
      (r) => r.body?.status === 'completed',
    );
    expect(done.body).toMatchObject({ name: 'segmentation', result: { users: 0 } });
  });
});
