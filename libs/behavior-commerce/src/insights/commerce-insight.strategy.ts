import { Inject, Injectable } from '@nestjs/common';
import {
  RegisterInsightStrategy,
  type BehaviorInsightContext,
  type BehaviorInsightResult,
  type BehaviorInsightStrategy,
} from '@lssm/behavior-core';
import { COMMERCE_OPTIONS } from '../behavior-commerce.tokens.js';
import type { CommerceOptions } from '../contracts/commerce-options.js';
import { recentFigures, type CommerceRecentFigures } from './commerce-recent.figures.js';
import {
  baseCurrencyTotals,
  churnRisk,
  clamp,
  meetsVip,
  round,
  windowFigures,
  type CommerceWindowFigures,
} from './commerce-window.figures.js';

export type ShopperLabel =
  'cart_abandoner' | 'frequent_buyer' | 'heavy_browser' | 'price_checker' | 'evening_shopper';
export type PriceRange = 'budget' | 'mid_range' | 'premium' | 'luxury';
export type RecommendedAction =
  'send_cart_reminder' | 'offer_discount' | 'offer_vip_upgrade' | 're_engagement_campaign' | 'request_review';

const PREFERRED_CATEGORIES = 3;
/** Average days per month, to turn the window's order count into a monthly rate. */
const DAYS_PER_MONTH = 30;

/**
 * insightType `commerce`: scores conversion_probability, churn_risk (both in [0, 1]) and
 * lifetime_value_estimate (base currency); shopper labels, preferred categories, price range and
 * recommended actions. Formulas: docs/add-ons.md.
 */
@RegisterInsightStrategy()
@Injectable()
export class CommerceInsightStrategy implements BehaviorInsightStrategy {
  readonly name = 'commerce';
  readonly version = 1;
  readonly requires = { metrics: true, recentSignals: 200 };

  constructor(@Inject(COMMERCE_OPTIONS) private readonly options: CommerceOptions) {}

  analyze(context: BehaviorInsightContext): BehaviorInsightResult {
    const o = this.options;
    const w = windowFigures(context.metrics, context.now);
    const r = recentFigures(context.recentSignals, context.now, context.windowDays, o);
    const totals = baseCurrencyTotals(w, o);

    const cartToPurchase =
      w.cartedUnits > 0 ? clamp(w.purchasedUnits / w.cartedUnits) : w.purchases > 0 ? 1 : 0;
    const openCart = r.openCartUnits > 0 ? 1 : 0;
    const checkout = w.checkoutsLastWeek > 0 ? 1 : 0;
    const recency = w.activity.daysSinceLast === null ? 0 : clamp(1 - w.activity.daysSinceLast / 7);
    const cw = o.weights.conversion;
    const conversion = clamp(
      (cw.history * cartToPurchase + cw.openCart * openCart + cw.checkout * checkout + cw.recency * recency) /
        (cw.history + cw.openCart + cw.checkout + cw.recency),
    );
    const churn = churnRisk(w.activity);
    const aov = totals.orders > 0 ? totals.revenue / totals.orders : 0;
    const ordersPerMonth = (totals.orders * DAYS_PER_MONTH) / context.windowDays;
    const lifetimeValue = aov * ordersPerMonth * o.lifetimeValue.horizonMonths;

    const labels = this.labels(w, r, cartToPurchase);
    const categories = this.preferredCategories(w);
    const priceRange = this.priceRange(r.averageItemPrice);
    const actions = this.actions(labels, w, churn, totals.revenue);
    const t = o.thresholds;

    return {
      insightType: 'commerce',
      scores: {
        conversion_probability: round(conversion),
        churn_risk: round(churn),
        lifetime_value_estimate: round(lifetimeValue, 2),
      },
      labels: {
        shopper_labels: labels,
        preferred_categories: categories.map((c) => c.category),
        price_range: priceRange,
        recommended_actions: actions,
      },
      evidence: {
        conversion_probability: {
          cart_to_purchase: round(cartToPurchase),
          carted_units: w.cartedUnits,
          purchased_units: w.purchasedUnits,
          open_cart: openCart,
          open_cart_units: r.openCartUnits,
          checkout_last_week: checkout,
          recency: round(recency),
          days_since_last_activity: w.activity.daysSinceLast,
          weights: cw,
        },
        churn_risk: {
          activity_last_week: w.activity.lastWeek,
          activity_previous_week: w.activity.previousWeek,
          activity_earlier: w.activity.earlier,
        },
        lifetime_value_estimate: {
          currency: o.currency,
          revenue: round(totals.revenue, 2),
          orders: totals.orders,
          average_order_value: round(aov, 2),
          orders_per_month: round(ordersPerMonth),
          horizon_months: o.lifetimeValue.horizonMonths,
          revenue_by_currency: w.revenueByCurrency,
          unconverted_currencies: totals.unconverted,
        },
        shopper_labels: {
          cart_abandoner: {
            cart_adds: w.cartAdds,
            cart_to_purchase: round(cartToPurchase),
            ...t.cartAbandoner,
          },
          frequent_buyer: { purchases: w.purchases, ...t.frequentBuyer },
          heavy_browser: { product_views: w.productViews, purchases: w.purchases, ...t.heavyBrowser },
          price_checker: { ...r.topProductViews, ...t.priceChecker },
          evening_shopper: {
            commerce_signals: r.commerceSignals,
            evening_signals: r.eveningSignals,
            ...t.eveningShopper,
          },
        },
        preferred_categories: categories,
        price_range: {
          average_item_price: r.averageItemPrice === null ? null : round(r.averageItemPrice, 2),
          priced_items: r.pricedItems,
          currency: o.currency,
          bounds: o.priceRanges,
        },
        recommended_actions: { reviews: w.reviews, churn_risk: round(churn) },
      },
    };
  }

  private labels(w: CommerceWindowFigures, r: CommerceRecentFigures, cartToPurchase: number): ShopperLabel[] {
    const t = this.options.thresholds;
    const labels: ShopperLabel[] = [];
    if (w.cartAdds >= t.cartAbandoner.minCartAdds && cartToPurchase <= t.cartAbandoner.maxConversion) {
      labels.push('cart_abandoner');
    }
    if (w.purchases >= t.frequentBuyer.minPurchases) labels.push('frequent_buyer');
    if (
      w.productViews >= t.heavyBrowser.minProductViews &&
      (w.purchases === 0 || w.productViews / w.purchases >= t.heavyBrowser.minViewsPerPurchase)
    ) {
      labels.push('heavy_browser');
    }
    if (r.topProductViews.views >= t.priceChecker.minViewsOfSameProduct) labels.push('price_checker');
    const evening = t.eveningShopper;
    if (r.commerceSignals >= evening.minSignals && r.eveningSignals / r.commerceSignals >= evening.minShare) {
      labels.push('evening_shopper');
    }
    return labels;
  }

  private preferredCategories(w: CommerceWindowFigures) {
    const weight = this.options.weights.categories;
    return Object.entries(w.categories)
      .map(([category, c]) => ({
        category,
        score: round(weight.view * c.views + weight.cartAdd * c.cartAdds + weight.purchase * c.units),
        views: c.views,
        cart_adds: c.cartAdds,
        units_bought: c.units,
      }))
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score || (a.category < b.category ? -1 : 1))
      .slice(0, PREFERRED_CATEGORIES);
  }

  private priceRange(averageItemPrice: number | null): PriceRange | null {
    if (averageItemPrice === null) return null;
    const bounds = this.options.priceRanges;
    if (averageItemPrice < bounds.budget) return 'budget';
    if (averageItemPrice < bounds.midRange) return 'mid_range';
    if (averageItemPrice < bounds.premium) return 'premium';
    return 'luxury';
  }

  private actions(
    labels: readonly ShopperLabel[],
    w: CommerceWindowFigures,
    churn: number,
    revenueBase: number,
  ): RecommendedAction[] {
    const has = (label: ShopperLabel) => labels.includes(label);
    const actions: RecommendedAction[] = [];
    if (has('cart_abandoner')) actions.push('send_cart_reminder');
    if (has('price_checker') || (has('heavy_browser') && w.purchases === 0)) actions.push('offer_discount');
    if (has('frequent_buyer') && !meetsVip(w.purchases, revenueBase, this.options)) {
      actions.push('offer_vip_upgrade');
    }
    if (churn >= this.options.thresholds.reEngagement.minChurnRisk) actions.push('re_engagement_campaign');
    if (w.purchases > 0 && w.reviews === 0) actions.push('request_review');
    return actions;
  }
}
