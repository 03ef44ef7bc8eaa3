import { InProcessJobRunner } from './in-process-job-runner.js';

describe('InProcessJobRunner', () => {
  it('runs a handler now and reports its result and last run', async () => {
    const runner = new InProcessJobRunner();
    runner.registerHandler('count', async (payload) => ({ doubled: (payload.n as number) * 2 }));
    await runner.schedule({ id: 'count-nightly', cron: '0 2 * * *', handler: 'count' });
    const result = await runner.runNow('count', { n: 21 });
    expect(result).toMatchObject({ name: 'count', status: 'completed', result: { doubled: 42 } });
    const [task] = await runner.tasks();
    expect(task.lastRun?.jobId).toBe(result.jobId);
  });

  it('retries a failing handler and reports the failure without throwing', async () => {
    const runner = new InProcessJobRunner({ attempts: 3, retryDelayMs: 1 });
    let calls = 0;
    runner.registerHandler('flaky', async () => {
      calls++;
      throw new Error('boom');
    });
    const result = await runner.runNow('flaky');
    expect(calls).toBe(3);
    expect(result).toMatchObject({ status: 'failed', error: 'boom' });
  });

  it('succeeds on a later attempt', async () => {
    const runner = new InProcessJobRunner({ attempts: 3, retryDelayMs: 1 });
    let calls = 0;
    runner.registerHandler('second-time', async (_p, ctx) => {
      calls++;
      if (ctx.attempt < 2) throw new Error('not yet');
      return 'ok';
    });
    await expect(runner.runNow('second-time')).resolves.toMatchObject({ status: 'completed', result: 'ok' });
    expect(calls).toBe(2);
  });

  it('fails fast on duplicate task ids, duplicate handlers, bad cron and tasks without a handler', async () => {
    const runner = new InProcessJobRunner();
    runner.registerHandler('a', async () => 1);
    expect(() => runner.registerHandler('a', async () => 2)).toThrow(/registered twice/);
    await runner.schedule({ id: 't', cron: '* * * * *', handler: 'a' });
    await expect(runner.schedule({ id: 't', cron: '* * * * *', handler: 'a' })).rejects.toThrow(
      /declared twice/,
    );
    await expect(runner.schedule({ id: 'bad', cron: 'every minute', handler: 'a' })).rejects.toThrow(
      /invalid cron/,
    );
    await runner.schedule({ id: 'orphan', cron: '* * * * *', handler: 'missing' });
    await expect(runner.start()).rejects.toThrow(/"missing", which is not registered/);
  });

  it('fires scheduled tasks from cron once started and stops cleanly', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    try {
      const runner = new InProcessJobRunner();
      const seen: string[] = [];
      runner.registerHandler('tick', async (_p, ctx) => {
        seen.push(ctx.jobId);
      });
      await runner.schedule({ id: 'every-minute', cron: '* * * * *', handler: 'tick' });
      await runner.start();
      await jest.advanceTimersByTimeAsync(3 * 60_000 + 10);
      expect(seen.length).toBe(3);
      const [task] = await runner.tasks();
      expect(task.nextRunAt).toBe('2026-01-01T00:04:00.000Z');
      await runner.stop();
      await jest.advanceTimersByTimeAsync(5 * 60_000);
      expect(seen.length).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the last run per scope: a tenant sees only its own runs, all tenants only theirs', async () => {
    const runner = new InProcessJobRunner();
    runner.registerHandler('count', async (_p, ctx) => ({ scope: ctx.tenantId ?? 'all' }));
    await runner.schedule({ id: 'count-nightly', cron: '0 2 * * *', handler: 'count' });
    const all = await runner.runNow('count');
    const acme = await runner.runNow('count', {}, { tenantId: 'acme' });
    expect(acme.tenantId).toBe('acme');
    expect((await runner.tasks())[0].lastRun).toMatchObject({ jobId: all.jobId, result: { scope: 'all' } });
    expect((await runner.tasks({ tenantId: 'acme' }))[0].lastRun).toMatchObject({
      jobId: acme.jobId,
      result: { scope: 'acme' },
    });
    expect((await runner.tasks({ tenantId: 'globex' }))[0].lastRun).toBeNull();
  });

  it('waits a bounded time for a queued run, which stays readable by id', async () => {
    const runner = new InProcessJobRunner();
    let finish!: () => void;
    runner.registerHandler('slow', () => new Promise((resolve) => (finish = () => resolve('done'))));
    const jobId = await runner.enqueue('slow', {}, { tenantId: 'acme' });
    const started = Date.now();
    await expect(runner.waitForRun(jobId, 50)).resolves.toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(await runner.getRun(jobId)).toMatchObject({
      jobId,
      name: 'slow',
      status: 'running',
      tenantId: 'acme',
    });
    finish();
    await expect(runner.waitForRun(jobId, 1000)).resolves.toMatchObject({
      status: 'completed',
      result: 'done',
    });
    expect(await runner.getRun(jobId)).toMatchObject({ status: 'completed', result: 'done' });
    expect(await runner.getRun('unknown')).toBeNull();
    await expect(runner.waitForRun('unknown', 10)).resolves.toBeNull();
  });
});
