import type { AlertSeverity } from '@lssm/behavior-core';

/**
 * Options of the commerce add-on (YAML: `ai.behavior.addOns.commerce`). Amounts in the base
 * `currency`; docs/add-ons.md lists the defaults and what each number drives.
 */
export interface CommerceOptions {
  /** ISO 4217 code of the base currency: lifetime value, VIP revenue and price ranges use it. */
  readonly currency: string;
  /** Units of the base currency per unit of another currency; unlisted currencies stay out of base-currency figures. */
  readonly exchangeRates: Readonly<Record<string, number>>;
  /** Upper bounds (exclusive) of the average item price per range; at or above `premium` is luxury. */
  readonly priceRanges: { readonly budget: number; readonly midRange: number; readonly premium: number };
  readonly thresholds: {
    readonly cartAbandoner: { readonly minCartAdds: number; readonly maxConversion: number };
    readonly frequentBuyer: { readonly minPurchases: number };
    readonly heavyBrowser: { readonly minProductViews: number; readonly minViewsPerPurchase: number };
    readonly priceChecker: { readonly minViewsOfSameProduct: number };
    readonly eveningShopper: {
      /** Hours 0–23 in `timeZone`; the window is [startHour, endHour) and may wrap past midnight. */
      readonly startHour: number;
      readonly endHour: number;
      readonly timeZone: string;
      readonly minShare: number;
      readonly minSignals: number;
    };
    readonly reEngagement: { readonly minChurnRisk: number };
  };
  readonly weights: {
    readonly conversion: {
      readonly history: number;
      readonly openCart: number;
      readonly checkout: number;
      readonly recency: number;
    };
    readonly categories: { readonly view: number; readonly cartAdd: number; readonly purchase: number };
  };
  readonly lifetimeValue: { readonly horizonMonths: number };
  readonly segmentation: {
    /** When on, the `commerce` segmentation strategy replaces the configured one and falls back to `fallback`. */
    readonly enabled: boolean;
    readonly fallback: string;
    readonly vip: { readonly minPurchases: number; readonly minRevenue: number };
    readonly atRisk: { readonly minChurnRisk: number; readonly minPurchases: number };
    readonly needsNurturing: { readonly minInteractions: number };
  };
  readonly anomaly: {
    readonly enabled: boolean;
    /** More than `maxPurchases` orders of one user within `windowMinutes`. */
    readonly burst: {
      readonly maxPurchases: number;
      readonly windowMinutes: number;
      readonly severity: AlertSeverity;
    };
    /** An order above `threshold` (in the order's own currency; `byCurrency` overrides per currency). */
    readonly largeAmount: {
      readonly threshold: number;
      readonly byCurrency: Readonly<Record<string, number>>;
      readonly severity: AlertSeverity;
    };
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** What `forRoot` accepts: any subset; the rest comes from the defaults. */
export type CommerceOptionsInput = DeepPartial<CommerceOptions>;
