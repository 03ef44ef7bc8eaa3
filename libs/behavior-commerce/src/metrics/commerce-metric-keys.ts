/** Metric keys the commerce projectors write (and the schemas' metricHints) that the strategies read. */
export const COMMERCE_KEYS = {
  purchases: 'commerce.purchases',
  /** Followed by `:<currency>`; attributes `{ currency }`. */
  revenuePrefix: 'commerce.revenue:',
  cartAdds: 'commerce.cart_adds',
  cartRemoves: 'commerce.cart_removes',
  cartedUnits: 'commerce.conversion.carted_units',
  purchasedUnits: 'commerce.conversion.purchased_units',
  /** Followed by `:<currency>` (avg of the order amount; attributes `{ currency }`). */
  orderValuePrefix: 'commerce.order_value:',
  /** Followed by `:<currency>` (orders in that currency, the denominator of a window's order value). */
  ordersPrefix: 'commerce.orders:',
  productViews: 'commerce.product_views',
  viewedCategories: 'commerce.viewed_categories',
  /** Followed by `:<category>`; attributes `{ category }`. */
  categoryViewsPrefix: 'commerce.category_views:',
  categoryCartAddsPrefix: 'commerce.category_cart_adds:',
  /** Units bought per category. */
  categoryPurchasesPrefix: 'commerce.category_purchases:',
  // Written by the core engagement projector from the schemas' metricHints.
  checkouts: 'commerce.checkouts',
  searches: 'commerce.searches',
  reviews: 'commerce.reviews',
} as const;

export const COMMERCE_SCHEMAS = {
  productView: 'commerce.product.view',
  cartAdd: 'commerce.cart.add',
  cartRemove: 'commerce.cart.remove',
  checkoutStart: 'commerce.checkout.start',
  purchase: 'commerce.order.purchase',
  search: 'commerce.search',
  review: 'commerce.review.submit',
} as const;

export const COMMERCE_SCHEMA_PREFIX = 'commerce.';
