import { failureRateChange, robustScore, userRateOutliers, volumeChange } from './robust-score.js';

const steady = (n: number, level = 30) => Array.from({ length: n }, (_, i) => level + (i % 3));
const defaults = { sensitivity: 'medium', minVolume: 20 } as const;

describe('robust score', () => {
  it('ignores one earlier spike in the reference and floors the scale at Poisson noise', () => {
    const reference = [...steady(35), 500];
    const score = robustScore(90, reference);
    expect(score.expected).toBe(31);
    expect(score.scale).toBeCloseTo(Math.sqrt(31));
    expect(score.z).toBeGreaterThan(10);
  });

  it('sees spikes and drops, including a schema that stops, but not noise', () => {
    expect(volumeChange(93, steady(36), defaults)).toMatchObject({ direction: 'spike', severity: 'high' });
    expect(volumeChange(0, steady(36), defaults)).toMatchObject({ direction: 'drop', severity: 'high' });
    expect(volumeChange(38, steady(36), defaults)).toBeNull();
    expect(volumeChange(24, steady(36), defaults)).toBeNull();
  });

  it('each setting acts: sensitivity, minVolume, and a series must be established', () => {
    expect(volumeChange(50, steady(36), { ...defaults, sensitivity: 'high' })).not.toBeNull();
    expect(volumeChange(50, steady(36), { ...defaults, sensitivity: 'low' })).toBeNull();
    expect(volumeChange(93, steady(36), { ...defaults, minVolume: 100 })).toBeNull();
    const young = [...Array.from({ length: 30 }, () => 0), ...steady(6)];
    expect(volumeChange(500, young, defaults)).toBeNull();
  });

  it('finds the one user far above the others', () => {
    const users = new Map(Array.from({ length: 20 }, (_, i) => [`u-${i}`, 3 + (i % 4)] as [string, number]));
    users.set('bot', 300);
    const found = userRateOutliers(users, { ...defaults, minVolume: 50, minUsers: 10 });
    expect(found.map((f) => f.userId)).toEqual(['bot']);
    expect(userRateOutliers(users, { ...defaults, minVolume: 500, minUsers: 10 })).toEqual([]);
    expect(userRateOutliers(users, { ...defaults, minVolume: 50, minUsers: 50 })).toEqual([]);
  });

  it('judges a refusal share against the reference share', () => {
    expect(
      failureRateChange(20, 30, { failed: 0, accepted: 1000 }, { ...defaults, minVolume: 10 }),
    ).toMatchObject({
      observedRate: 0.4,
      expectedRate: 0.01,
    });
    // A schema that always fails this much is not news.
    expect(
      failureRateChange(20, 30, { failed: 400, accepted: 600 }, { ...defaults, minVolume: 10 }),
    ).toBeNull();
    expect(
      failureRateChange(5, 30, { failed: 0, accepted: 1000 }, { ...defaults, minVolume: 10 }),
    ).toBeNull();
  });
});
