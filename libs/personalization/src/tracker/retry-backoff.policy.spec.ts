import { createRetryBackoffPolicy } from './retry-backoff.policy.js';

describe('createRetryBackoffPolicy', () => {
  it('grows the cap exponentially up to maxDelayMs', () => {
    const policy = createRetryBackoffPolicy({
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      factor: 2,
      jitter: 'none',
    });
    expect([0, 1, 2, 3, 4, 5].map((a) => policy.delayFor(a))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(policy.capFor(10_000)).toBe(1_000); // no overflow to Infinity after a long outage
  });

  it('full jitter stays within [0, cap] and still grows with a fixed random draw', () => {
    const fixed = createRetryBackoffPolicy({
      initialDelayMs: 100,
      maxDelayMs: 10_000,
      jitter: 'full',
      random: () => 0.5,
    });
    expect([0, 1, 2, 3].map((a) => fixed.delayFor(a))).toEqual([50, 100, 200, 400]);

    const policy = createRetryBackoffPolicy({ initialDelayMs: 100, maxDelayMs: 5_000, jitter: 'full' });
    for (let attempt = 0; attempt < 10; attempt++) {
      for (let i = 0; i < 200; i++) {
        const delay = policy.delayFor(attempt);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(policy.capFor(attempt));
      }
    }
  });

  it('equal jitter stays within [cap/2, cap]', () => {
    const policy = createRetryBackoffPolicy({ initialDelayMs: 1_000, maxDelayMs: 8_000, jitter: 'equal' });
    for (let i = 0; i < 500; i++) {
      const delay = policy.delayFor(2);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it('defaults to full jitter from 1 s up to 60 s', () => {
    const policy = createRetryBackoffPolicy({ random: () => 0.999999 });
    expect(policy.capFor(0)).toBe(1_000);
    expect(policy.capFor(20)).toBe(60_000);
    expect(policy.delayFor(0)).toBeLessThanOrEqual(1_000);
  });

  it('rejects nonsensical settings', () => {
    expect(() => createRetryBackoffPolicy({ initialDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
    expect(() => createRetryBackoffPolicy({ factor: 0.5 })).toThrow(RangeError);
  });
});
