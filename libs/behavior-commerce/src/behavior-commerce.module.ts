import { ConfigurableModuleBuilder, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { BehaviorAddOn } from '@lssm/behavior-core';
import { SUSPICIOUS_PURCHASE_RULE, SuspiciousPurchaseRule } from './anomalies/suspicious-purchase.rule.js';
import { COMMERCE_MODULE_OPTIONS, COMMERCE_OPTIONS } from './behavior-commerce.tokens.js';
import { COMMERCE_SCHEMA_DIR } from './commerce-schema-dir.js';
import type { CommerceOptionsInput } from './contracts/commerce-options.js';
import { CommerceInsightStrategy } from './insights/commerce-insight.strategy.js';
import { CartConversionProjector } from './metrics/cart-conversion.projector.js';
import { CartProjector } from './metrics/cart.projector.js';
import { CategoryProjector } from './metrics/category.projector.js';
import { OrderValueProjector } from './metrics/order-value.projector.js';
import { PurchaseProjector } from './metrics/purchase.projector.js';
import { RevenueProjector } from './metrics/revenue.projector.js';
import { resolveCommerceOptions } from './options/commerce-options.resolver.js';
import { CommerceSegmentationStrategy } from './segmentation/commerce-segmentation.strategy.js';
import { CommerceErasureHook } from './privacy/commerce-erasure.hook.js';

/** Projector names in the order the add-on appends them to `ai.behavior.metrics.projectors`. */
export const COMMERCE_PROJECTORS = [
  'commerce-purchases',
  'commerce-revenue',
  'commerce-cart',
  'commerce-conversion',
  'commerce-order-value',
  'commerce-categories',
] as const;

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<CommerceOptionsInput>({
  optionsInjectionToken: COMMERCE_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .build();

const providers: Provider[] = [
  // Validated once here, so forRootAsync options fail start-up as clearly as YAML ones.
  { provide: COMMERCE_OPTIONS, inject: [COMMERCE_MODULE_OPTIONS], useFactory: resolveCommerceOptions },
  PurchaseProjector,
  RevenueProjector,
  CartProjector,
  CartConversionProjector,
  OrderValueProjector,
  CategoryProjector,
  CommerceInsightStrategy,
  CommerceSegmentationStrategy,
  SuspiciousPurchaseRule,
  // Erasure: what commerce derived per user (docs/privacy.md).
  CommerceErasureHook,
];

/**
 * The commerce add-on: schemas, projectors, the `commerce` insight and segmentation strategies
 * and the suspicious-purchase anomaly rule. Hand `BehaviorCommerceModule.addOn(options)` to
 * `BehaviorCoreModule.forRoot({ addOns })`; that imports the module and switches its parts on.
 */
@Module({ imports: [DiscoveryModule], providers, exports: [COMMERCE_OPTIONS] })
export class BehaviorCommerceModule extends ConfigurableModuleClass {
  static addOn(options: CommerceOptionsInput = {}): BehaviorAddOn {
    const resolved = resolveCommerceOptions(options);
    return {
      name: 'commerce',
      module: BehaviorCommerceModule.forRoot(options),
      schemaDirs: [COMMERCE_SCHEMA_DIR],
      metricProjectors: COMMERCE_PROJECTORS,
      insightStrategies: ['commerce'],
      segmentationStrategy: resolved.segmentation.enabled ? 'commerce' : undefined,
      anomalyRules: resolved.anomaly.enabled ? [SUSPICIOUS_PURCHASE_RULE] : [],
    };
  }
}
