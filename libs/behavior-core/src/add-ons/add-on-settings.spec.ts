import { resolve } from 'node:path';
import type { BehaviorAddOn, BehaviorCoreModuleOptions } from '../contracts/behavior-add-on';
import type { BehaviorSettings } from '../contracts/behavior-core-options';
import { STARTER_SCHEMA_DIR } from '../schema/starter-schema-dir';
import { composeAddOns } from './add-on-settings';

class ShopModule {}
class TravelModule {}

const settings = {
  schemas: { starter: true, path: ['my-schemas'] },
  metrics: { projectors: ['engagement', 'shop-b'], projection: { batchSize: 10 } },
  insights: { strategies: ['engagement'], ttlMinutes: 5, computeOnRead: true, windowDays: 30 },
  segmentation: {
    strategy: 'threshold',
    thresholds: { newWithinDays: 7, dormantAfterDays: 30, superEngagedScore: 0.75 },
  },
} as unknown as BehaviorSettings;

const options = (...addOns: BehaviorAddOn[]): BehaviorCoreModuleOptions => ({
  settings,
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
    expect(out.schemaSources).toEqual([
      { origin: 'starter', dir: STARTER_SCHEMA_DIR },
      { origin: 'config', dir: resolve('my-schemas') },
    ]);
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
    expect(out.schemaSources.map((s) => s.dir)).toEqual([
      STARTER_SCHEMA_DIR,
      '/opt/shop/schemas',
      resolve('my-schemas'),
    ]);
    expect(out.anomalyRules).toEqual(['shop.fraud']);
    expect(settings.metrics.projectors).toEqual(['engagement', 'shop-b']);
  });

  it('layers starter set, add-ons and configured directories, and leaves the starter set out when asked', () => {
    const out = composeAddOns({
      ...options(shop),
      settings: { ...settings, schemas: { starter: false, path: ['a', 'b'] } },
    });
    expect(out.schemaSources).toEqual([
      { origin: 'add-on shop', dir: '/opt/shop/schemas' },
      { origin: 'config', dir: resolve('a') },
      { origin: 'config', dir: resolve('b') },
    ]);
  });

  it('refuses the same add-on twice and two add-ons taking over segmentation', () => {
    expect(() => composeAddOns(options(shop, shop))).toThrow('Add-on "shop" is given twice');
    expect(() =>
      composeAddOns(options(shop, { name: 'travel', module: TravelModule, segmentationStrategy: 'trips' })),
    ).toThrow(/"shop" and "travel" both set the segmentation strategy/);
  });
});
