import { MetricDeltaAccumulator } from './metric-delta.accumulator.js';
import { mergeMetricDay, type StoredDay } from './metric-day.merger.js';

const signal = (timestamp: string) =>
  ({ id: 's', tenantId: 't', userId: 'u', timestamp }) as Parameters<MetricDeltaAccumulator['apply']>[0];

function deltas(project: Parameters<MetricDeltaAccumulator['apply']>[2][]) {
  const acc = new MetricDeltaAccumulator();
  for (const p of project) acc.apply(signal('2026-12-01T10:00:00Z'), 'engagement', p);
  return acc.dayRows()[0]!.metrics;
}

describe('mergeMetricDay', () => {
  it('adds decimals exactly however the signals were batched', () => {
    const values = [0.1, 0.2, 0.3, 1e-7, 12345678.9];
    const oneBatch = mergeMetricDay(undefined, deltas(values.map((v) => (a) => a.sum('s', v))), () => 0);
    let oneByOne: StoredDay | undefined;
    for (const v of values) oneByOne = mergeMetricDay(oneByOne, deltas([(a) => a.sum('s', v)]), () => 0);
    expect(oneBatch.s).toEqual({ t: 'sum', p: 'engagement', n: '5', v: '12345679.5000001' });
    expect(oneByOne).toEqual(oneBatch);
  });

  it('keeps avg as exact sum and count, min and max as extremes, counts as integers', () => {
    const first = mergeMetricDay(
      undefined,
      deltas([
        (a) => {
          a.avg('avg', 1);
          a.min('min', 5);
          a.max('max', 5);
          a.count('c', 2, { schemaId: 'x' });
        },
        (a) => {
          a.avg('avg', 2.5);
          a.min('min', -1.5);
          a.max('max', 7);
        },
      ]),
      () => 0,
    );
    const next = mergeMetricDay(
      first,
      deltas([(a) => (a.avg('avg', 1), a.min('min', 0), a.count('c'))]),
      () => 0,
    );
    expect(next.avg).toEqual({ t: 'avg', p: 'engagement', n: '3', s: '4.5', v: '1.5' });
    expect(next.min).toMatchObject({ n: '3', v: '-1.5' });
    expect(next.max).toMatchObject({ n: '2', v: '7' });
    expect(next.c).toEqual({ t: 'count', p: 'engagement', n: '2', v: '3', a: { schemaId: 'x' } });
  });

  it('counts distinct members the store reported new, and leaves the stored day untouched', () => {
    const stored: StoredDay = { d: { t: 'distinct', p: 'engagement', n: '2', v: '2' } };
    const merged = mergeMetricDay(stored, deltas([(a) => a.distinct('d', 'x')]), (key) =>
      key === 'd' ? 3 : 0,
    );
    expect(merged.d).toMatchObject({ n: '5', v: '5' });
    expect(stored.d!.v).toBe('2');
  });

  it('keeps 20 decimal places of an avg quotient', () => {
    const merged = mergeMetricDay(
      undefined,
      deltas([(a) => a.avg('avg', 1), (a) => a.avg('avg', 1), (a) => a.avg('avg', 0)]),
      () => 0,
    );
    expect(merged.avg!.v).toBe('0.66666666666666666667');
  });
});
