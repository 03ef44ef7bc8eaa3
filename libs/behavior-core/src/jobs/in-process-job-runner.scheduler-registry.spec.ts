import { SchedulerRegistry } from '@nestjs/schedule';
import { InProcessJobRunner } from './in-process-job-runner.js';

describe('InProcessJobRunner on @nestjs/schedule', () => {
  it("arms its tasks in the app's SchedulerRegistry and removes them when it stops", async () => {
    const registry = new SchedulerRegistry();
    const runner = new InProcessJobRunner({ schedulerRegistry: registry });
    runner.registerHandler('tick', async () => undefined);
    await runner.schedule({ id: 'every-minute', cron: '* * * * *', handler: 'tick' });
    expect(registry.doesExist('cron', 'behavior-job:every-minute')).toBe(false);
    await runner.start();
    const job = registry.getCronJob('behavior-job:every-minute');
    expect(job.isActive).toBe(true);
    const [task] = await runner.tasks();
    expect(task.nextRunAt).toBe(job.nextDate().toJSDate().toISOString());
    await runner.stop();
    expect(registry.doesExist('cron', 'behavior-job:every-minute')).toBe(false);
    expect(job.isActive).toBe(false);
    expect((await runner.tasks())[0].nextRunAt).toBeNull();
  });

  it('stops cleanly after ScheduleModule already dropped its jobs at shutdown', async () => {
    const registry = new SchedulerRegistry();
    const runner = new InProcessJobRunner({ schedulerRegistry: registry });
    runner.registerHandler('tick', async () => undefined);
    await runner.schedule({ id: 'nightly', cron: '0 2 * * *', handler: 'tick' });
    await runner.start();
    for (const name of [...registry.getCronJobs().keys()]) registry.deleteCronJob(name);
    await expect(runner.stop()).resolves.toBeUndefined();
  });
});
