import { fairShare } from './partition-lease.manager';

describe('fairShare', () => {
  it('splits partitions so the shares add up to all of them, the first workers taking the remainder', () => {
    const workers = ['a', 'b', 'c'];
    expect(workers.map((w) => fairShare(16, workers, w))).toEqual([6, 5, 5]);
    expect(['a', 'b'].map((w) => fairShare(16, ['a', 'b'], w))).toEqual([8, 8]);
    expect(fairShare(16, ['a'], 'a')).toBe(16);
    const many = Array.from({ length: 20 }, (_, i) => `w${String(i).padStart(2, '0')}`);
    const shares = many.map((w) => fairShare(16, many, w));
    expect(shares.reduce((n, s) => n + s, 0)).toBe(16);
    expect(shares.filter((s) => s === 0)).toHaveLength(4);
  });

  it('gives nothing to a worker that is not (yet) among the live ones', () => {
    expect(fairShare(16, ['a', 'b'], 'c')).toBe(0);
    expect(fairShare(16, [], 'a')).toBe(0);
  });
});
