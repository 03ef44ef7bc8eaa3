import type { BehaviorMetricProjector, BehaviorSignal, MetricAccumulator } from '@lssm/behavior-core';
import { CartConversionProjector } from './cart-conversion.projector';
import { CartProjector } from './cart.projector';
import { CategoryProjector } from './category.projector';
import { OrderValueProjector } from './order-value.projector';
import { PurchaseProjector } from './purchase.projector';
import { RevenueProjector } from './revenue.projector';

type Call = [op: string, key: string, value: unknown, attributes?: unknown];

/** Records what a projector asks for, in order. */
class RecordingAccumulator implements MetricAccumulator {
  readonly calls: Call[] = [];
  count(key: string, by = 1, attributes?: Record<string, unknown>) {
    this.calls.push(['count', key, by, ...(attributes ? [attributes] : [])] as Call);
  }
  sum(key: string, value: number, attributes?: Record<string, unknown>) {
    this.calls.push(['sum', key, value, ...(attributes ? [attributes] : [])] as Call);
  }
  avg(key: string, value: number, attributes?: Record<string, unknown>) {
    this.calls.push(['avg', key, value, ...(attributes ? [attributes] : [])] as Call);
  }
  min(key: string, value: number) {
    this.calls.push(['min', key, value]);
  }
  max(key: string, value: number) {
    this.calls.push(['max', key, value]);
  }
  distinct(key: string, value: string | number | boolean) {
    this.calls.push(['distinct', key, value]);
  }
}

const signal = (schemaId: string, attributes: Record<string, unknown>): BehaviorSignal => ({
  id: '0190b0e0-0000-7000-8000-000000000001',
  tenantId: 't',
  userId: 'u',
  sessionId: null,
  schemaId,
  schemaVersion: 1,
  signalKey: null,
  source: null,
  timestamp: '2026-11-20T10:00:00.000Z',
  ingestedAt: '2026-11-20T10:00:00.000Z',
  attributes,
});

const order = signal('commerce.order.purchase', {
  amount: 130,
  currency: 'USD',
  items: [
    { sku: 'a', category: 'shoes', price: 50, quantity: 2 },
    { sku: 'b', price: 30, quantity: 1 },
  ],
});
const cartAdd = signal('commerce.cart.add', { productId: 'p', category: 'bags', quantity: 3 });
const cartRemove = signal('commerce.cart.remove', { productId: 'p' });
const view = signal('commerce.product.view', { productId: 'p', category: 'bags', price: 10 });
const search = signal('commerce.search', { query: 'red shoes' });
const all = [order, cartAdd, cartRemove, view, search];

function project(projector: BehaviorMetricProjector, signals = all): Call[] {
  const acc = new RecordingAccumulator();
  for (const s of signals) {
    if (projector.supports(s, undefined as never)) projector.project(s, undefined as never, acc);
  }
  return acc.calls;
}

describe('commerce projectors', () => {
  it('purchase count: one per order', () => {
    expect(project(new PurchaseProjector())).toEqual([['count', 'commerce.purchases', 1]]);
  });

  it('revenue: the order total under its own currency', () => {
    expect(project(new RevenueProjector())).toEqual([
      ['sum', 'commerce.revenue:USD', 130, { currency: 'USD' }],
    ]);
  });

  it('cart: adds and removes counted apart', () => {
    expect(project(new CartProjector())).toEqual([
      ['count', 'commerce.cart_adds', 1],
      ['count', 'commerce.cart_removes', 1],
    ]);
  });

  it('conversion: units carted (quantity, default 1) and units bought (sum of line quantities)', () => {
    expect(project(new CartConversionProjector())).toEqual([
      ['sum', 'commerce.conversion.purchased_units', 3],
      ['sum', 'commerce.conversion.carted_units', 3],
    ]);
    expect(project(new CartConversionProjector(), [signal('commerce.cart.add', { productId: 'x' })])).toEqual(
      [['sum', 'commerce.conversion.carted_units', 1]],
    );
  });

  it('order value: the average per currency with its order count', () => {
    expect(project(new OrderValueProjector())).toEqual([
      ['avg', 'commerce.order_value:USD', 130, { currency: 'USD' }],
      ['count', 'commerce.orders:USD', 1, { currency: 'USD' }],
    ]);
  });

  it('categories: viewed categories, and category interest from views, cart adds and units bought', () => {
    expect(project(new CategoryProjector())).toEqual([
      ['sum', 'commerce.category_purchases:shoes', 2, { category: 'shoes' }],
      ['sum', 'commerce.category_cart_adds:bags', 3, { category: 'bags' }],
      ['count', 'commerce.product_views', 1],
      ['distinct', 'commerce.viewed_categories', 'bags'],
      ['count', 'commerce.category_views:bags', 1, { category: 'bags' }],
    ]);
  });

  it('skips attributes that are not what the schema promises (older versions on replay)', () => {
    const odd = signal('commerce.order.purchase', { amount: 'lots', items: 'none' });
    expect(project(new RevenueProjector(), [odd])).toEqual([]);
    expect(project(new CartConversionProjector(), [odd])).toEqual([]);
    expect(project(new CategoryProjector(), [odd])).toEqual([]);
  });

  it('ignores signals of other schemas', () => {
    for (const p of [new PurchaseProjector(), new RevenueProjector(), new OrderValueProjector()]) {
      expect(p.supports(search)).toBe(false);
    }
  });
});
