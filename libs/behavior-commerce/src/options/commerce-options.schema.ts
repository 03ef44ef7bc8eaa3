// JSON Schema of the commerce options. Every key is optional (defaults fill the rest) and
// `additionalProperties: false` everywhere, so a misspelt key is an error, not a silent default.
// The host embeds it under `ai.behavior.addOns.commerce` of its config schema (commerceAddOn).
const obj = (properties: Record<string, unknown>) => ({
  type: 'object' as const,
  additionalProperties: false as const,
  properties,
});
const num = (minimum: number, maximum?: number) => ({
  type: 'number',
  minimum,
  ...(maximum === undefined ? {} : { maximum }),
});
const int = (minimum: number, maximum?: number) => ({ ...num(minimum, maximum), type: 'integer' });
const share = num(0, 1);
const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
const perCurrency = (value: unknown) => ({
  type: 'object',
  propertyNames: { type: 'string', pattern: '^[A-Z]{3}$' },
  additionalProperties: value,
});
const severity = { enum: ['low', 'medium', 'high', 'critical'] };

export const COMMERCE_OPTIONS_JSON_SCHEMA = obj({
  currency,
  exchangeRates: perCurrency({ type: 'number', exclusiveMinimum: 0 }),
  priceRanges: obj({ budget: num(0), midRange: num(0), premium: num(0) }),
  thresholds: obj({
    cartAbandoner: obj({ minCartAdds: int(1), maxConversion: share }),
    frequentBuyer: obj({ minPurchases: int(1) }),
    heavyBrowser: obj({ minProductViews: int(1), minViewsPerPurchase: num(0) }),
    priceChecker: obj({ minViewsOfSameProduct: int(2) }),
    eveningShopper: obj({
      startHour: int(0, 23),
      endHour: int(0, 23),
      timeZone: { type: 'string', minLength: 1 },
      minShare: share,
      minSignals: int(1),
    }),
    reEngagement: obj({ minChurnRisk: share }),
  }),
  weights: obj({
    conversion: obj({ history: num(0), openCart: num(0), checkout: num(0), recency: num(0) }),
    categories: obj({ view: num(0), cartAdd: num(0), purchase: num(0) }),
  }),
  lifetimeValue: obj({ horizonMonths: num(0) }),
  segmentation: obj({
    enabled: { type: 'boolean' },
    fallback: { type: 'string', minLength: 1 },
    vip: obj({ minPurchases: int(1), minRevenue: num(0) }),
    atRisk: obj({ minChurnRisk: share, minPurchases: int(0) }),
    needsNurturing: obj({ minInteractions: int(1) }),
  }),
  anomaly: obj({
    enabled: { type: 'boolean' },
    burst: obj({ maxPurchases: int(1), windowMinutes: int(1, 1440), severity }),
    largeAmount: obj({ threshold: num(0), byCurrency: perCurrency(num(0)), severity }),
  }),
});
