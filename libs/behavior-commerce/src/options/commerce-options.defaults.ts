import type { CommerceOptions } from '../contracts/commerce-options.js';

/** The typed defaults; config/default.yaml repeats them so the YAML documents every key. */
export const DEFAULT_COMMERCE_OPTIONS: CommerceOptions = {
  currency: 'EUR',
  exchangeRates: {},
  priceRanges: { budget: 25, midRange: 100, premium: 500 },
  thresholds: {
    cartAbandoner: { minCartAdds: 3, maxConversion: 0.25 },
    frequentBuyer: { minPurchases: 3 },
    heavyBrowser: { minProductViews: 20, minViewsPerPurchase: 10 },
    priceChecker: { minViewsOfSameProduct: 3 },
    eveningShopper: { startHour: 18, endHour: 23, timeZone: 'UTC', minShare: 0.5, minSignals: 3 },
    reEngagement: { minChurnRisk: 0.6 },
  },
  weights: {
    conversion: { history: 0.4, openCart: 0.2, checkout: 0.2, recency: 0.2 },
    categories: { view: 1, cartAdd: 2, purchase: 3 },
  },
  lifetimeValue: { horizonMonths: 12 },
  segmentation: {
    enabled: true,
    fallback: 'threshold',
    vip: { minPurchases: 5, minRevenue: 1000 },
    atRisk: { minChurnRisk: 0.6, minPurchases: 1 },
    needsNurturing: { minInteractions: 1 },
  },
  anomaly: {
    enabled: true,
    burst: { maxPurchases: 3, windowMinutes: 10, severity: 'high' },
    largeAmount: { threshold: 5000, byCurrency: {}, severity: 'medium' },
  },
};
