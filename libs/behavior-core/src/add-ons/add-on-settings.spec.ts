import { resolve } from 'node:path';
import type { BehaviorAddOn, BehaviorCoreModuleOptions } from '../contracts/behavior-add-on';
import type { BehaviorSettings } from '../contracts/behavior-core-options';
import { composeAddOns } from './add-on-settings';

class ShopModule {}
class TravelModule {}

const settings = {
  schemas: { path: 'config/schemas' },
  metrics: { projectors: ['engagement', 'shop-b'], projection: { batchSize: 10, pollIntervalMs: 10 } },
  insights: { strategies: ['engagement'], ttlMinutes: 5, computeOnRead: true, windowDays: 30 },
  segmentation: {
    strategy: 'threshold',
    thresholds: { newWithinDays: 7, dormantAfterDays: 30, superEngagedScore: 0.75 },
  },
} as unknown as BehaviorSettings;

const options = (...addOns: BehaviorAddOn[]): BehaviorCoreModuleOptions => ({
  settings,
  databaseUrl: 'postgres://x/y',
  addOns,
});

const shop: BehaviorAddOn = {
  name: 'shop',
  module: ShopModule,
  schemaDirs: ['/opt/shop/schemas'],
  metricProjectors: ['shop-a', 'shop-b'],
  insightStrategies: ['shop'],
  segmentationStrategy: 'shop',
  anomalyRules: ['shop.fraud'],
};

describe('composeAddOns', () => {
  it('leaves the options as configured without add-ons', () => {
    const out = composeAddOns(options());
    expect(out.options.settings.metrics.projectors).toEqual(['engagement', 'shop-b']);
    expect(out.options.settings.segmentation.strategy).toBe('threshold');
    expect(out.schemaDirs).toEqual([resolve('config/schemas')]);
    expect(out.anomalyRules).toEqual([]);
    expect(out.options).not.toHaveProperty('addOns');
  });

  it('appends what an add-on switches on, keeping the configured place of names config lists', () => {
    const out = composeAddOns(
      options(shop, { name: 'travel', module: TravelModule, insightStrategies: ['trips', 'shop'] }),
    );
    expect(out.options.settings.metrics.projectors).toEqual(['engagement', 'shop-b', 'shop-a']);
    expect(out.options.settings.insights.strategies).toEqual(['engagement', 'shop', 'trips']);
    expect(out.options.settings.segmentation.strategy).toBe('shop');
    expect(out.schemaDirs).toEqual([resolve('config/schemas'), '/opt/shop/schemas']);
    expect(out.anomalyRules).toEqual(['shop.fraud']);
    expect(settings.metrics.projectors).toEqual(['engagement', 'shop-b']);
  });

  it('keeps explicit schemaDirs and adds the add-on directories after them', () => {
    const out = composeAddOns({ ...options(shop), schemaDirs: ['a', 'b'] });
    expect(out.schemaDirs).toEqual([resolve('a'), resolve('b'), '/opt/shop/schemas']);
  });

  it('refuses the same add-on twice and two add-ons taking over segmentation', () => {
    expect(() => composeAddOns(options(shop, shop))).toThrow('Add-on "shop" is given twice');
    expect(() =>
      composeAddOns(options(shop, { name: 'travel', module: TravelModule, segmentationStrategy: 'trips' })),
    ).toThrow(/"shop" and "travel" both set the segmentation strategy/);
  });
});
