import { SchedulerRegistry } from '@nestjs/schedule';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../../../test/support/test-app';

// Without Redis the scheduled tasks are cron jobs of the app's own @nestjs/schedule registry,
// so they are listed and stopped with the app's other schedules.
describe('job scheduling (e2e): the in-process runner on @nestjs/schedule', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('arms every scheduled task in the SchedulerRegistry, firing when GET /jobs says', async () => {
    const res = await t.request('GET', '/api/ai-behavior/jobs', { key: TEST_ADMIN_KEY });
    expect(res.status).toBe(200);
    const tasks: { id: string; nextRunAt: string | null }[] = res.body.tasks;
    expect(tasks.length).toBeGreaterThan(0);
    const registry = t.app.get(SchedulerRegistry);
    for (const task of tasks) {
      const job = registry.getCronJob(`behavior-job:${task.id}`);
      expect(job.isActive).toBe(true);
      expect(task.nextRunAt).toBe(job.nextDate().toJSDate().toISOString());
    }
  });
});
