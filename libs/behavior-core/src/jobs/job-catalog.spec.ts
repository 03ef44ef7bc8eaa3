import { JobCatalog } from './job-catalog.js';
import { isValidCron, nextCronFire } from './cron-expression.js';

describe('JobCatalog', () => {
  it('refuses a second handler or task of the same name and an invalid cron', () => {
    const catalog = new JobCatalog();
    catalog.registerHandler('a', async () => 1);
    expect(() => catalog.registerHandler('a', async () => 2)).toThrow(/registered twice/);
    catalog.addTask({ id: 't', cron: '*/5 * * * *', handler: 'a' });
    expect(() => catalog.addTask({ id: 't', cron: '* * * * *', handler: 'a' })).toThrow(/declared twice/);
    expect(() => catalog.addTask({ id: 'bad', cron: '61 * * * *', handler: 'a' })).toThrow(
      /invalid cron "61 \* \* \* \*"/,
    );
    expect(catalog.tasks().map((t) => t.id)).toEqual(['t']);
  });

  it('is complete only when every task names a registered handler', () => {
    const catalog = new JobCatalog();
    catalog.addTask({ id: 'nightly', cron: '0 2 * * *', handler: 'later' });
    expect(() => catalog.assertComplete()).toThrow(/"later", which is not registered/);
    catalog.registerHandler('later', async () => undefined);
    expect(() => catalog.assertComplete()).not.toThrow();
  });
});

describe('cron expressions', () => {
  it('accepts five and six fields and computes the next fire time', () => {
    expect(isValidCron('0 2 * * *')).toBe(true);
    expect(isValidCron('*/10 * * * * *')).toBe(true);
    expect(isValidCron('every minute')).toBe(false);
    jest.useFakeTimers({ now: new Date('2026-01-01T01:30:00Z') });
    try {
      expect(nextCronFire('0 2 * * *')?.toISOString()).toBe('2026-01-01T02:00:00.000Z');
      expect(nextCronFire('not a cron')).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
