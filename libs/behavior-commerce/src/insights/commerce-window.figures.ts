import { ENGAGEMENT_KEYS, type BehaviorMetricRow } from '@lssm/behavior-core';
import type { CommerceOptions } from '../contracts/commerce-options.js';
import { COMMERCE_KEYS, COMMERCE_SCHEMA_PREFIX } from '../metrics/commerce-metric-keys.js';

const DAY = 86_400_000;

export interface CategoryInterest {
  views: number;
  cartAdds: number;
  units: number;
}

/** Sums of the window's daily metrics the commerce strategy and segmentation read. */
export interface CommerceWindowFigures {
  readonly purchases: number;
  readonly cartAdds: number;
  readonly cartRemoves: number;
  readonly cartedUnits: number;
  readonly purchasedUnits: number;
  readonly productViews: number;
  readonly checkoutsLastWeek: number;
  readonly reviews: number;
  readonly revenueByCurrency: Readonly<Record<string, number>>;
  readonly ordersByCurrency: Readonly<Record<string, number>>;
  readonly categories: Readonly<Record<string, CategoryInterest>>;
  /** Commerce signals (any commerce schema) by age: days 0–6, 7–13, 14 and older within the window. */
  readonly activity: {
    readonly lastWeek: number;
    readonly previousWeek: number;
    readonly earlier: number;
    /** Whole UTC days since the last day with commerce signals; null when none in the window. */
    readonly daysSinceLast: number | null;
  };
}

/** One pass over the window's metrics (they were loaded for the whole chunk in one statement). */
export function windowFigures(metrics: readonly BehaviorMetricRow[], now: Date): CommerceWindowFigures {
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const revenueByCurrency: Record<string, number> = {};
  const ordersByCurrency: Record<string, number> = {};
  const categories: Record<string, CategoryInterest> = {};
  const f = {
    purchases: 0,
    cartAdds: 0,
    cartRemoves: 0,
    cartedUnits: 0,
    purchasedUnits: 0,
    productViews: 0,
    checkoutsLastWeek: 0,
    reviews: 0,
  };
  const activity = { lastWeek: 0, previousWeek: 0, earlier: 0, daysSinceLast: null as number | null };
  const interest = (name: string) => (categories[name] ??= { views: 0, cartAdds: 0, units: 0 });
  for (const m of metrics) {
    const age = Math.round((today - Date.parse(`${m.metricDate}T00:00:00Z`)) / DAY);
    const key = m.metricKey;
    const v = m.metricValue;
    if (key === COMMERCE_KEYS.purchases) f.purchases += v;
    else if (key === COMMERCE_KEYS.cartAdds) f.cartAdds += v;
    else if (key === COMMERCE_KEYS.cartRemoves) f.cartRemoves += v;
    else if (key === COMMERCE_KEYS.cartedUnits) f.cartedUnits += v;
    else if (key === COMMERCE_KEYS.purchasedUnits) f.purchasedUnits += v;
    else if (key === COMMERCE_KEYS.productViews) f.productViews += v;
    else if (key === COMMERCE_KEYS.reviews) f.reviews += v;
    else if (key === COMMERCE_KEYS.checkouts) {
      if (age <= 6) f.checkoutsLastWeek += v;
    } else if (key.startsWith(COMMERCE_KEYS.revenuePrefix)) {
      add(revenueByCurrency, key.slice(COMMERCE_KEYS.revenuePrefix.length), v);
    } else if (key.startsWith(COMMERCE_KEYS.ordersPrefix)) {
      add(ordersByCurrency, key.slice(COMMERCE_KEYS.ordersPrefix.length), v);
    } else if (key.startsWith(COMMERCE_KEYS.categoryViewsPrefix)) {
      interest(key.slice(COMMERCE_KEYS.categoryViewsPrefix.length)).views += v;
    } else if (key.startsWith(COMMERCE_KEYS.categoryCartAddsPrefix)) {
      interest(key.slice(COMMERCE_KEYS.categoryCartAddsPrefix.length)).cartAdds += v;
    } else if (key.startsWith(COMMERCE_KEYS.categoryPurchasesPrefix)) {
      interest(key.slice(COMMERCE_KEYS.categoryPurchasesPrefix.length)).units += v;
    } else if (key.startsWith(`${ENGAGEMENT_KEYS.schemaSignalsPrefix}${COMMERCE_SCHEMA_PREFIX}`) && v > 0) {
      if (age <= 6) activity.lastWeek += v;
      else if (age <= 13) activity.previousWeek += v;
      else activity.earlier += v;
      if (age >= 0 && (activity.daysSinceLast === null || age < activity.daysSinceLast)) {
        activity.daysSinceLast = age;
      }
    }
  }
  return { ...f, revenueByCurrency, ordersByCurrency, categories, activity };
}

/** Revenue and orders in the base currency; currencies without an exchange rate are left out and named. */
export function baseCurrencyTotals(
  figures: CommerceWindowFigures,
  options: Pick<CommerceOptions, 'currency' | 'exchangeRates'>,
): { revenue: number; orders: number; unconverted: string[] } {
  let revenue = 0;
  let orders = 0;
  const unconverted: string[] = [];
  const currencies = new Set([
    ...Object.keys(figures.revenueByCurrency),
    ...Object.keys(figures.ordersByCurrency),
  ]);
  for (const currency of [...currencies].sort()) {
    const rate = currency === options.currency ? 1 : options.exchangeRates[currency];
    if (rate === undefined) {
      unconverted.push(currency);
      continue;
    }
    revenue += (figures.revenueByCurrency[currency] ?? 0) * rate;
    orders += figures.ordersByCurrency[currency] ?? 0;
  }
  return { revenue, orders, unconverted };
}

/**
 * Commerce activity of the last 7 days against the 7 before: the share it dropped by (0 when it
 * held or grew). No activity in either week: 1 if there was some earlier in the window, else 0.
 */
export function churnRisk(activity: CommerceWindowFigures['activity']): number {
  const { lastWeek, previousWeek, earlier } = activity;
  if (lastWeek === 0 && previousWeek === 0) return earlier > 0 ? 1 : 0;
  if (previousWeek === 0) return 0;
  return clamp((previousWeek - lastWeek) / previousWeek);
}

/** VIP: at least `minPurchases` orders and `minRevenue` (base currency) in the window. */
export function meetsVip(purchases: number, revenueBase: number, options: CommerceOptions): boolean {
  const vip = options.segmentation.vip;
  return purchases >= vip.minPurchases && revenueBase >= vip.minRevenue;
}

export function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Four decimals, like the core scores. */
export function round(x: number, decimals = 4): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function add(map: Record<string, number>, key: string, value: number): void {
  map[key] = (map[key] ?? 0) + value;
}
