import { context, metric, NOW, options, signal } from '../../test/commerce-fixtures';
import { CommerceInsightStrategy } from './commerce-insight.strategy';

const SCHEMA_SIGNALS = 'engagement.schema_signals:';
const strategy = (input = {}) => new CommerceInsightStrategy(options(input));

/** The worked example of docs/add-ons.md (now = 2026-11-20T20:00Z, 30-day window). */
function workedExample() {
  const metrics = [
    metric('commerce.cart_adds', '2026-11-20', 4),
    metric('commerce.conversion.carted_units', '2026-11-20', 5),
    metric('commerce.conversion.purchased_units', '2026-11-10', 1),
    metric('commerce.conversion.purchased_units', '2026-11-18', 2),
    metric('commerce.purchases', '2026-11-10', 1),
    metric('commerce.purchases', '2026-11-18', 2),
    metric('commerce.revenue:EUR', '2026-11-10', 100),
    metric('commerce.revenue:EUR', '2026-11-18', 140),
    metric('commerce.orders:EUR', '2026-11-10', 1),
    metric('commerce.orders:EUR', '2026-11-18', 1),
    metric('commerce.revenue:USD', '2026-11-18', 50),
    metric('commerce.orders:USD', '2026-11-18', 1),
    metric('commerce.checkouts', '2026-11-19', 1),
    metric('commerce.product_views', '2026-11-12', 30),
    metric('commerce.category_views:shoes', '2026-11-12', 20),
    metric('commerce.category_views:bags', '2026-11-12', 10),
    metric('commerce.category_views:hats', '2026-11-12', 5),
    metric('commerce.category_views:socks', '2026-11-12', 1),
    metric('commerce.category_cart_adds:bags', '2026-11-20', 4),
    metric('commerce.category_purchases:shoes', '2026-11-18', 3),
    // Commerce activity: 6 signals in the last 7 days, 12 in the 7 before.
    metric(`${SCHEMA_SIGNALS}commerce.cart.add`, '2026-11-20', 4),
    metric(`${SCHEMA_SIGNALS}commerce.order.purchase`, '2026-11-18', 2),
    metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-12', 12),
    metric(`${SCHEMA_SIGNALS}content.view`, '2026-11-20', 50),
  ];
  const recent = [
    signal('commerce.cart.add', '2026-11-20T19:40:00Z', { productId: 'p-2', price: 120, currency: 'EUR' }),
    signal('commerce.cart.add', '2026-11-20T19:30:00Z', { productId: 'p-3', price: 120 }),
    signal('commerce.order.purchase', '2026-11-18T21:00:00Z', {
      amount: 60,
      currency: 'EUR',
      items: [{ sku: 's', price: 60, quantity: 1 }],
    }),
    signal('commerce.cart.add', '2026-11-18T20:50:00Z', { productId: 'p-9', price: 60 }),
    ...[1, 2, 3].map((i) =>
      signal('commerce.product.view', `2026-11-12T2${i}:00:00Z`, { productId: 'p-1', price: 80 }),
    ),
    signal('content.view', '2026-11-12T08:00:00Z', { contentId: 'c' }),
  ];
  return context(metrics, recent);
}

describe('CommerceInsightStrategy', () => {
  it('computes the documented worked example', () => {
    const result = strategy({ exchangeRates: { USD: 0.9 } }).analyze(workedExample());
    expect(result.insightType).toBe('commerce');
    // conversion: (0.4 × 3/5 + 0.2 × open cart + 0.2 × checkout + 0.2 × recency 1) / 1
    // churn: (12 − 6) / 12; lifetime value: revenue 240 + 50 × 0.9 = 285 over 3 orders = 95,
    // 3 orders a month (30-day window) × 12 months.
    expect(result.scores).toEqual({
      conversion_probability: 0.84,
      churn_risk: 0.5,
      lifetime_value_estimate: 3420,
    });
    expect(result.labels).toEqual({
      shopper_labels: ['frequent_buyer', 'heavy_browser', 'price_checker', 'evening_shopper'],
      preferred_categories: ['shoes', 'bags', 'hats'],
      // (3 × 80 + 2 × 120 + 60 + 60) / 7 ≈ 85.71
      price_range: 'mid_range',
      recommended_actions: ['offer_discount', 'offer_vip_upgrade', 'request_review'],
    });
    expect(result.evidence.conversion_probability).toMatchObject({
      cart_to_purchase: 0.6,
      open_cart: 1,
      open_cart_units: 2,
      checkout_last_week: 1,
      recency: 1,
      days_since_last_activity: 0,
    });
    expect(result.evidence.churn_risk).toEqual({
      activity_last_week: 6,
      activity_previous_week: 12,
      activity_earlier: 0,
    });
    expect(result.evidence.lifetime_value_estimate).toMatchObject({
      currency: 'EUR',
      revenue: 285,
      orders: 3,
      average_order_value: 95,
      orders_per_month: 3,
      unconverted_currencies: [],
    });
    expect(result.evidence.preferred_categories).toEqual([
      { category: 'shoes', score: 29, views: 20, cart_adds: 0, units_bought: 3 },
      { category: 'bags', score: 18, views: 10, cart_adds: 4, units_bought: 0 },
      { category: 'hats', score: 5, views: 5, cart_adds: 0, units_bought: 0 },
    ]);
    expect(result.evidence.price_range).toMatchObject({ average_item_price: 85.71, priced_items: 7 });
  });

  it('leaves currencies without a rate out of the base-currency figures and names them', () => {
    const result = strategy().analyze(workedExample());
    // 240 EUR over the 2 EUR orders: 120 × 2 a month × 12.
    expect(result.scores.lifetime_value_estimate).toBe(2880);
    expect(result.evidence.lifetime_value_estimate).toMatchObject({ unconverted_currencies: ['USD'] });
  });

  it('labels four cart adds without a purchase a cart_abandoner and recommends a cart reminder', () => {
    const adds = [1, 2, 3, 4].map((i) =>
      signal('commerce.cart.add', `2026-11-20T1${i}:00:00Z`, { productId: `p-${i}`, price: 10 }),
    );
    const result = strategy().analyze(
      context(
        [
          metric('commerce.cart_adds', '2026-11-20', 4),
          metric('commerce.conversion.carted_units', '2026-11-20', 4),
          metric(`${SCHEMA_SIGNALS}commerce.cart.add`, '2026-11-20', 4),
        ],
        adds.reverse(),
      ),
    );
    expect(result.labels.shopper_labels).toEqual(['cart_abandoner']);
    expect(result.labels.recommended_actions).toEqual(['send_cart_reminder']);
    expect(result.labels.price_range).toBe('budget');
    // history 0, open cart 1, no checkout, recency 1: (0.2 + 0.2) / 1
    expect(result.scores).toEqual({ conversion_probability: 0.4, churn_risk: 0, lifetime_value_estimate: 0 });
    // Buying every carted unit is no abandonment.
    const bought = strategy().analyze(
      context([
        metric('commerce.cart_adds', '2026-11-20', 4),
        metric('commerce.conversion.carted_units', '2026-11-20', 4),
        metric('commerce.conversion.purchased_units', '2026-11-20', 4),
        metric('commerce.purchases', '2026-11-20', 1),
      ]),
    );
    expect(bought.labels.shopper_labels).toEqual([]);
  });

  it('reads churn as the drop of last week against the week before', () => {
    const churnOf = (lastWeek: number, previousWeek: number, earlier = 0) =>
      strategy().analyze(
        context([
          metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-18', lastWeek),
          metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-10', previousWeek),
          metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-01', earlier),
        ]),
      ).scores.churn_risk;
    expect(churnOf(2, 8)).toBe(0.75);
    expect(churnOf(8, 2)).toBe(0);
    expect(churnOf(3, 0)).toBe(0);
    expect(churnOf(0, 0, 5)).toBe(1);
    expect(churnOf(0, 0, 0)).toBe(0);
    const lapsed = strategy().analyze(
      context([
        metric('commerce.purchases', '2026-11-01', 1),
        metric(`${SCHEMA_SIGNALS}commerce.order.purchase`, '2026-11-01', 1),
      ]),
    );
    expect(lapsed.labels.recommended_actions).toEqual(['re_engagement_campaign', 'request_review']);
  });

  it('maps the average item price onto the configured ranges (upper bounds exclusive)', () => {
    const rangeOf = (price: number) =>
      strategy({ priceRanges: { budget: 20, midRange: 50, premium: 200 } }).analyze(
        context([], [signal('commerce.product.view', '2026-11-20T10:00:00Z', { productId: 'p', price })]),
      ).labels.price_range;
    expect(rangeOf(19.99)).toBe('budget');
    expect(rangeOf(20)).toBe('mid_range');
    expect(rangeOf(50)).toBe('premium');
    expect(rangeOf(200)).toBe('luxury');
    expect(strategy().analyze(context([])).labels.price_range).toBeNull();
  });

  it('needs the same product viewed minViewsOfSameProduct times to be a price_checker', () => {
    const views = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        signal('commerce.product.view', `2026-11-20T0${i}:00:00Z`, { productId: 'same' }),
      );
    expect(strategy().analyze(context([], views(2))).labels.shopper_labels).toEqual([]);
    expect(strategy().analyze(context([], views(3))).labels).toMatchObject({
      shopper_labels: ['price_checker'],
      recommended_actions: ['offer_discount'],
    });
    // Views older than the window do not count.
    const old = views(3).map((s) => ({ ...s, timestamp: '2026-09-01T10:00:00Z' }));
    expect(strategy().analyze(context([], old)).labels.shopper_labels).toEqual([]);
  });

  it('counts evening hours on the configured time zone, wrapping past midnight', () => {
    const at = (iso: string) => signal('commerce.product.view', iso, { productId: iso });
    // 17:30Z is 18:30 in Berlin (CET, UTC+1 in November).
    const signals = ['2026-11-20T17:30:00Z', '2026-11-19T18:10:00Z', '2026-11-18T09:00:00Z'].map(at);
    const evening = { startHour: 18, endHour: 23, minShare: 0.6, minSignals: 3 };
    const utc = strategy({ thresholds: { eveningShopper: { ...evening, timeZone: 'UTC' } } });
    const berlin = strategy({ thresholds: { eveningShopper: { ...evening, timeZone: 'Europe/Berlin' } } });
    expect(utc.analyze(context([], signals)).labels.shopper_labels).toEqual([]);
    expect(berlin.analyze(context([], signals)).labels.shopper_labels).toEqual(['evening_shopper']);
    const night = strategy({
      thresholds: { eveningShopper: { startHour: 22, endHour: 2, minShare: 1, minSignals: 2 } },
    });
    expect(
      night.analyze(context([], ['2026-11-20T23:30:00Z', '2026-11-20T01:00:00Z'].map(at))).labels
        .shopper_labels,
    ).toEqual(['evening_shopper']);
  });

  it('calls many views per order heavy browsing and recommends a discount when nothing was bought', () => {
    const result = strategy().analyze(context([metric('commerce.product_views', '2026-11-19', 25)]));
    expect(result.labels.shopper_labels).toEqual(['heavy_browser']);
    expect(result.labels.recommended_actions).toEqual(['offer_discount']);
    const buyer = strategy().analyze(
      context([
        metric('commerce.product_views', '2026-11-19', 25),
        metric('commerce.purchases', '2026-11-19', 5),
      ]),
    );
    expect(buyer.labels.shopper_labels).toEqual(['frequent_buyer']);
  });

  it('applies the configured conversion weights', () => {
    const onlyRecency = strategy({
      weights: { conversion: { history: 0, openCart: 0, checkout: 0, recency: 1 } },
    });
    const result = onlyRecency.analyze(
      context([metric(`${SCHEMA_SIGNALS}commerce.product.view`, '2026-11-16', 1)], [], NOW),
    );
    // Last commerce day 4 days ago: 1 − 4/7.
    expect(result.scores.conversion_probability).toBe(0.4286);
  });
});
