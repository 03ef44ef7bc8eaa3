export * from './behavior-commerce.tokens.js';
export type * from './contracts/commerce-options.js';
export { BehaviorCommerceModule, COMMERCE_PROJECTORS } from './behavior-commerce.module.js';
export { commerceAddOn } from './commerce.add-on.js';
export { COMMERCE_SCHEMA_DIR } from './commerce-schema-dir.js';
export { DEFAULT_COMMERCE_OPTIONS } from './options/commerce-options.defaults.js';
export { COMMERCE_OPTIONS_JSON_SCHEMA } from './options/commerce-options.schema.js';
export {
  CommerceOptionsError,
  commerceOptionProblems,
  resolveCommerceOptions,
} from './options/commerce-options.resolver.js';
export { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './metrics/commerce-metric-keys.js';
export { PurchaseProjector } from './metrics/purchase.projector.js';
export { RevenueProjector } from './metrics/revenue.projector.js';
export { CartProjector } from './metrics/cart.projector.js';
export { CartConversionProjector } from './metrics/cart-conversion.projector.js';
export { OrderValueProjector } from './metrics/order-value.projector.js';
export { CategoryProjector } from './metrics/category.projector.js';
export {
  CommerceInsightStrategy,
  type PriceRange,
  type RecommendedAction,
  type ShopperLabel,
} from './insights/commerce-insight.strategy.js';
export {
  CommerceSegmentationStrategy,
  type CommerceSegment,
} from './segmentation/commerce-segmentation.strategy.js';
export { SuspiciousPurchaseRule, SUSPICIOUS_PURCHASE_RULE } from './anomalies/suspicious-purchase.rule.js';
export { CommerceErasureHook } from './privacy/commerce-erasure.hook.js';
