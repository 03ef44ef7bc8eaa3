import { lintSchemaDirectory, loadSchemaRegistry } from '@lssm/behavior-core';
import { COMMERCE_SCHEMA_DIR } from './commerce-schema-dir';
import { COMMERCE_SCHEMAS } from './metrics/commerce-metric-keys';

describe('commerce schemas shipped in the package', () => {
  it('lint without a single problem', () => {
    expect(lintSchemaDirectory(COMMERCE_SCHEMA_DIR).problems).toEqual([]);
  });

  const registry = loadSchemaRegistry(COMMERCE_SCHEMA_DIR);

  it('are exactly the seven commerce schemas, all in the commerce domain', () => {
    expect(registry.ids()).toEqual(Object.values(COMMERCE_SCHEMAS).sort());
    expect(registry.list().length).toBeGreaterThan(0);
    expect(registry.list().every((d) => d.domain === 'commerce')).toBe(true);
  });

  it('take an order with amount, currency and items (sku, category, price, quantity)', () => {
    const ok = registry.validate('commerce.order.purchase', undefined, {
      amount: 59.9,
      currency: 'EUR',
      items: [{ sku: 'A-1', category: 'shoes', price: 29.95, quantity: 2 }],
    });
    expect(ok.ok).toBe(true);
    const bad = registry.validate('commerce.order.purchase', undefined, {
      amount: 10,
      currency: 'EUR',
      items: [],
    });
    expect(bad.ok).toBe(false);
  });

  it('take a review with text and rating, and embed only the review text', () => {
    expect(registry.validate('commerce.review.submit', undefined, { text: 'Fits well', rating: 5 }).ok).toBe(
      true,
    );
    expect(registry.validate('commerce.review.submit', undefined, { text: 'x', rating: 6 }).ok).toBe(false);
    // Embeddings are not implemented yet: the review text is prepared, not enabled.
    expect(registry.list().filter((d) => d.embeddingPolicy.enabled)).toEqual([]);
    expect(registry.get('commerce.review.submit')!.embeddingPolicy.fields).toEqual(['text']);
  });
});
