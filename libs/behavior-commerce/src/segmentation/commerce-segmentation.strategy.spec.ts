import type { DiscoveryService } from '@nestjs/core';
import { ThresholdSegmentationStrategy, type BehaviorCoreOptions } from '@lssm/behavior-core';
import { context, metric, options } from '../../test/commerce-fixtures';
import { CommerceSegmentationStrategy } from './commerce-segmentation.strategy';

const SCHEMA_SIGNALS = 'engagement.schema_signals:';
const thresholds = { newWithinDays: 7, dormantAfterDays: 30, superEngagedScore: 0.75 };
const threshold = new ThresholdSegmentationStrategy({
  settings: { segmentation: { strategy: 'threshold', thresholds } },
} as unknown as BehaviorCoreOptions);

/** DiscoveryService as far as the strategy uses it: the app's provider instances. */
function discovery(...instances: object[]): DiscoveryService {
  return { getProviders: () => instances.map((instance) => ({ instance })) } as unknown as DiscoveryService;
}

function strategy(input = {}, ...others: object[]) {
  const s = new CommerceSegmentationStrategy(discovery(threshold, ...others), options(input));
  s.onModuleInit();
  return s;
}

const orders = (count: number, amount: number, day = '2026-11-15') => [
  metric('commerce.purchases', day, count),
  metric('commerce.revenue:EUR', day, amount),
  metric('commerce.orders:EUR', day, count),
  metric(`${SCHEMA_SIGNALS}commerce.order.purchase`, day, count),
];

describe('CommerceSegmentationStrategy', () => {
  it('makes a frequent high-value buyer VIP', () => {
    const result = strategy().segment(context(orders(5, 1000)), []);
    expect(result).toMatchObject({ insightType: 'segment', segment: 'VIP', labels: { segment: 'VIP' } });
    expect(result.evidence.segment).toMatchObject({
      strategy: 'commerce',
      purchases: 5,
      revenue: 1000,
      fallback_segment: 'active',
    });
    expect(strategy().segment(context(orders(4, 5000)), []).segment).not.toBe('VIP');
    expect(strategy().segment(context(orders(9, 999)), []).segment).not.toBe('VIP');
  });

  it('converts other currencies with the configured rates for VIP revenue', () => {
    const usd = [
      metric('commerce.purchases', '2026-11-15', 5),
      metric('commerce.revenue:USD', '2026-11-15', 1000),
      metric('commerce.orders:USD', '2026-11-15', 5),
    ];
    expect(strategy().segment(context(usd), []).segment).toBe('active');
    expect(strategy({ exchangeRates: { USD: 1.2 } }).segment(context(usd), []).segment).toBe('VIP');
  });

  it('marks a buyer whose activity dropped at_risk', () => {
    const metrics = [
      ...orders(1, 50, '2026-11-10'),
      metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-10', 20),
      metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-18', 2),
    ];
    expect(strategy().segment(context(metrics), []).segment).toBe('at_risk');
  });

  it('marks browsing or carting without a purchase needs_nurturing', () => {
    const result = strategy().segment(context([metric('commerce.cart_adds', '2026-11-20', 4)]), []);
    expect(result.segment).toBe('needs_nurturing');
    expect(result.evidence.segment).toMatchObject({ cart_adds: 4, purchases: 0 });
  });

  it('falls back to the core segments otherwise', () => {
    const base = context([]);
    expect(strategy().segment(base, [])).toEqual(threshold.segment(base, []));
    const dormant = { ...base, features: { ...base.features, lastActivityAt: null } };
    expect(strategy().segment(dormant, []).segment).toBe('dormant');
  });

  it('fails start-up when the fallback names no registered segmentation strategy', () => {
    const s = new CommerceSegmentationStrategy(
      discovery(threshold),
      options({ segmentation: { fallback: 'nope' } }),
    );
    expect(() => s.onModuleInit()).toThrow(/segmentation\.fallback names "nope"/);
    const self = new CommerceSegmentationStrategy(
      discovery(),
      options({ segmentation: { fallback: 'commerce' } }),
    );
    expect(() => self.onModuleInit()).toThrow(/"commerce"/);
  });
});
