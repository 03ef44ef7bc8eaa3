import type { BehaviorSignal } from '@lssm/behavior-core';
import type { CommerceOptions } from '../contracts/commerce-options.js';
import { COMMERCE_SCHEMAS, COMMERCE_SCHEMA_PREFIX } from '../metrics/commerce-metric-keys.js';
import { amount, orderLines, quantity, text } from '../signals/commerce-attributes.reader.js';

const DAY = 86_400_000;

/** What only the order of signals tells: repeated views, time of day, an open cart, prices seen. */
export interface CommerceRecentFigures {
  /** The most views of one product within the window, and which product. */
  readonly topProductViews: { readonly productId: string | null; readonly views: number };
  readonly commerceSignals: number;
  readonly eveningSignals: number;
  /** Units added to the cart after the latest order, minus units removed since. */
  readonly openCartUnits: number;
  /** Quantity-weighted average unit price of viewed, carted and bought items, base currency. */
  readonly averageItemPrice: number | null;
  readonly pricedItems: number;
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/** The hour (0–23) of `time` on the wall clock of `timeZone`. */
export function hourIn(time: Date, timeZone: string): number {
  if (timeZone === 'UTC') return time.getUTCHours();
  let format = hourFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    hourFormatters.set(timeZone, format);
  }
  return Number(format.formatToParts(time).find((p) => p.type === 'hour')?.value ?? 0) % 24;
}

/** [start, end) in hours, wrapping past midnight when start > end (22 → 2). */
export function inHourWindow(hour: number, start: number, end: number): boolean {
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** `signals` are newest first, as the analysis hands them over; only those inside the window count. */
export function recentFigures(
  signals: readonly BehaviorSignal[],
  now: Date,
  windowDays: number,
  options: CommerceOptions,
): CommerceRecentFigures {
  const since = now.getTime() - windowDays * DAY;
  const evening = options.thresholds.eveningShopper;
  const views = new Map<string, number>();
  let commerceSignals = 0;
  let eveningSignals = 0;
  let sawOrder = false;
  let openCartUnits = 0;
  let priceSum = 0;
  let pricedItems = 0;
  const price = (value: number | null, currency: string | null, units: number) => {
    if (value === null) return;
    const rate = currency === null || currency === options.currency ? 1 : options.exchangeRates[currency];
    if (rate === undefined) return;
    priceSum += value * rate * units;
    pricedItems += units;
  };
  for (const s of signals) {
    if (!s.schemaId.startsWith(COMMERCE_SCHEMA_PREFIX)) continue;
    const at = new Date(s.timestamp);
    if (at.getTime() < since) continue;
    commerceSignals++;
    if (inHourWindow(hourIn(at, evening.timeZone), evening.startHour, evening.endHour)) eveningSignals++;
    switch (s.schemaId) {
      case COMMERCE_SCHEMAS.productView: {
        const productId = text(s, 'productId');
        if (productId !== null) views.set(productId, (views.get(productId) ?? 0) + 1);
        price(amount(s, 'price'), text(s, 'currency'), 1);
        break;
      }
      case COMMERCE_SCHEMAS.cartAdd:
        if (!sawOrder) openCartUnits += quantity(s);
        price(amount(s, 'price'), text(s, 'currency'), quantity(s));
        break;
      case COMMERCE_SCHEMAS.cartRemove:
        if (!sawOrder) openCartUnits -= quantity(s);
        break;
      case COMMERCE_SCHEMAS.purchase: {
        // Newest first: everything after this in the loop happened before the order.
        sawOrder = true;
        const currency = text(s, 'currency');
        for (const line of orderLines(s)) price(line.price, currency, line.quantity);
        break;
      }
    }
  }
  let topProductViews: CommerceRecentFigures['topProductViews'] = { productId: null, views: 0 };
  for (const [productId, count] of [...views].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > topProductViews.views) topProductViews = { productId, views: count };
  }
  return {
    topProductViews,
    commerceSignals,
    eveningSignals,
    openCartUnits: Math.max(0, openCartUnits),
    averageItemPrice: pricedItems > 0 ? priceSum / pricedItems : null,
    pricedItems,
  };
}
