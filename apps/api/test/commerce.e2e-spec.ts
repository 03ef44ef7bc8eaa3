import { Client } from 'pg';
import { InsightStrategyRegistry, MetricProjectorRegistry } from '@lssm/behavior-core';
import {
  COMMERCE_OPTIONS,
  COMMERCE_PROJECTORS,
  PurchaseProjector,
  CommerceInsightStrategy,
  CommerceSegmentationStrategy,
  SuspiciousPurchaseRule,
} from '@lssm/behavior-commerce';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { waitFor } from '../../../test/support/wait-for';

const COMMERCE_SCHEMA_IDS = [
  'commerce.cart.add',
  'commerce.cart.remove',
  'commerce.checkout.start',
  'commerce.order.purchase',
  'commerce.product.view',
  'commerce.review.submit',
  'commerce.search',
];
const CORE_SEGMENTS = ['new', 'active', 'dormant', 'super_engaged'];
const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

function hasProvider(t: TestApp, token: unknown): boolean {
  try {
    t.app.get(token as never, { strict: false });
    return true;
  } catch {
    return false;
  }
}

const purchase = (
  userId: string,
  timestamp: string,
  amount: number,
  extra: Record<string, unknown> = {},
) => ({
  schemaId: 'commerce.order.purchase',
  userId,
  timestamp,
  attributes: {
    amount,
    currency: 'EUR',
    items: [{ sku: 'sku-1', category: 'shoes', price: amount, quantity: 1 }],
    ...extra,
  },
});

/** Sum of one metric over every day of the user. */
async function metricTotal(t: TestApp, key: string, userId: string, metricKey: string): Promise<number> {
  const res = await t.request(
    'GET',
    `/api/ai-behavior/users/${userId}/metrics?metricKey=${metricKey}&startDate=${at(-60 * DAY).slice(0, 10)}`,
    { key },
  );
  return (res.body?.metrics ?? []).reduce((n: number, m: any) => n + m.metricValue, 0);
}

describe('commerce add-on (e2e): disabled', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { ai: { behavior: { stream: { pollIntervalMs: 50 } } } },
    });
    ingestKey = await createTenantWithKey(t, 'shop', ['ingest']);
    readKey = await createTenantWithKey(t, 'shop', ['read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists no commerce schema and rejects commerce signals as unknown', async () => {
    const schemas = await t.request('GET', '/api/ai-behavior/schemas', { key: readKey });
    expect(schemas.status).toBe(200);
    expect(schemas.body.items.length).toBeGreaterThan(0);
    expect(schemas.body.items.filter((s: any) => s.id.startsWith('commerce.'))).toEqual([]);
    const res = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: { schemaId: 'commerce.cart.add', userId: 'u-1', attributes: { productId: 'p-1' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.details.map((d: any) => d.code)).toContain('unknown_schema');
  });

  it('has none of the commerce providers, strategies, task or projectors', async () => {
    for (const token of [
      COMMERCE_OPTIONS,
      PurchaseProjector,
      CommerceInsightStrategy,
      CommerceSegmentationStrategy,
      SuspiciousPurchaseRule,
    ]) {
      expect(hasProvider(t, token)).toBe(false);
    }
    expect(t.config.ai.behavior.addOns.commerce.enabled).toBe(false);
    expect(
      t.app
        .get(MetricProjectorRegistry, { strict: false })
        .active()
        .map((p) => p.name),
    ).toEqual(['engagement']);
    const strategies = t.app.get(InsightStrategyRegistry, { strict: false });
    expect(strategies.insightStrategies().map((s) => s.name)).toEqual(['engagement']);
    expect(strategies.segmentation().name).toBe('threshold');
    const jobs = await t.request('GET', '/api/ai-behavior/jobs', { key: TEST_ADMIN_KEY });
    expect(jobs.body.tasks.map((x: any) => x.id)).not.toContain('anomaly-detection');
  });

  it('gives insights without commerce labels or segments', async () => {
    await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: { schemaId: 'content.view', userId: 'reader-1', attributes: { contentId: 'c-1' } },
    });
    await waitFor(
      () => metricTotal(t, readKey, 'reader-1', 'engagement.signals'),
      (n) => n === 1,
    );
    const res = await t.request('GET', '/api/ai-behavior/users/reader-1/insights', { key: readKey });
    expect(res.status).toBe(200);
    expect(res.body.insights.map((i: any) => i.insightType).sort()).toEqual(['engagement', 'segment']);
    const text = JSON.stringify(res.body);
    for (const word of ['commerce', 'shopper_labels', 'cart_abandoner', 'recommended_actions', 'VIP']) {
      expect(text).not.toContain(word);
    }
    expect(CORE_SEGMENTS).toContain(res.body.insights[0].segment);
  });

  it('still serves the (empty) alert list', async () => {
    const res = await t.request('GET', '/api/ai-behavior/alerts', { key: readKey });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('commerce add-on (e2e): enabled', () => {
  let t: TestApp;
  let ingestKey: string;
  let readKey: string;
  let adminKey: string;
  let otherReadKey: string;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            addOns: { commerce: { enabled: true } },
          },
        },
      },
    });
    ingestKey = await createTenantWithKey(t, 'shop', ['ingest']);
    readKey = await createTenantWithKey(t, 'shop', ['read']);
    adminKey = await createTenantWithKey(t, 'shop', ['admin']);
    otherReadKey = await createTenantWithKey(t, 'other-shop', ['read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const ingest = async (signals: unknown[]) => {
    const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key: ingestKey,
      body: { signals },
    });
    expect(res.status).toBe(200);
    expect(res.body.rejected).toBe(0);
  };
  const run = async (job: string) => {
    const res = await t.request('POST', `/api/ai-behavior/jobs/${job}/run`, { key: adminKey });
    expect(res.body.status).toBe('completed');
    return res.body.result;
  };
  const insights = async (userId: string) => {
    const res = await t.request('GET', `/api/ai-behavior/users/${userId}/insights`, { key: readKey });
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.insights.map((i: any) => [i.insightType, i]));
  };
  /** Runs anomaly detection until its checkpoint has passed every committed signal. */
  const detectAll = async () => {
    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      await waitFor(
        async () => {
          await run('anomaly-detection');
          const { rows } = await db.query(
            `select count(*)::int n from behavior_signals s, behavior_stream_checkpoints c
              where c.consumer = 'anomaly:commerce.suspicious_purchase' and s.stream_partition = c.stream_partition
                and (s.xid, s.seq) > (c.last_xid, c.last_seq)`,
          );
          return rows[0].n as number;
        },
        (n) => n === 0,
      );
    } finally {
      await db.end();
    }
  };
  const alerts = async (query = '', key = readKey) => {
    const res = await t.request('GET', `/api/ai-behavior/alerts${query}`, { key });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('lists the commerce schemas and validates commerce signals', async () => {
    const res = await t.request('GET', '/api/ai-behavior/schemas?domain=commerce', { key: readKey });
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: any) => s.id).sort()).toEqual(COMMERCE_SCHEMA_IDS);
    const all = await t.request('GET', '/api/ai-behavior/schemas', { key: readKey });
    expect(all.body.items.map((s: any) => s.id)).toContain('content.view');
    const bad = await t.request('POST', '/api/ai-behavior/signals', {
      key: ingestKey,
      body: {
        schemaId: 'commerce.order.purchase',
        userId: 'u-bad',
        attributes: { amount: -1, currency: 'euro', items: [{ sku: 's', price: 1 }] },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details.map((d: any) => d.path).sort()).toEqual([
      'attributes.amount',
      'attributes.currency',
      'attributes.items[0].quantity',
    ]);
  });

  it('registers the module providers, appends its projectors and strategy, and adds the anomaly task', async () => {
    for (const token of [
      COMMERCE_OPTIONS,
      PurchaseProjector,
      CommerceInsightStrategy,
      CommerceSegmentationStrategy,
      SuspiciousPurchaseRule,
    ]) {
      expect(hasProvider(t, token)).toBe(true);
    }
    // Appended after the configured names (config order wins for names it lists itself).
    expect(
      t.app
        .get(MetricProjectorRegistry, { strict: false })
        .active()
        .map((p) => p.name),
    ).toEqual(['engagement', ...COMMERCE_PROJECTORS]);
    const strategies = t.app.get(InsightStrategyRegistry, { strict: false });
    expect(strategies.insightStrategies().map((s) => s.name)).toEqual(['engagement', 'commerce']);
    expect(strategies.segmentation().name).toBe('commerce');
    const jobs = await t.request('GET', '/api/ai-behavior/jobs', { key: adminKey });
    expect(jobs.body.tasks.map((x: any) => x.id)).toContain('anomaly-detection');
  });

  it('labels a user who adds to cart four times and never buys a cart_abandoner with send_cart_reminder', async () => {
    await ingest(
      ['p-1', 'p-2', 'p-3', 'p-4'].map((productId, i) => ({
        schemaId: 'commerce.cart.add',
        userId: 'abandoner',
        timestamp: at(-(i + 1) * MINUTE),
        attributes: { productId, category: 'bags', price: 40, currency: 'EUR', quantity: 1 },
      })),
    );
    await waitFor(
      () => metricTotal(t, readKey, 'abandoner', 'commerce.cart_adds'),
      (n) => n === 4,
    );
    await run('segmentation');
    const { commerce, segment } = await insights('abandoner');
    expect(commerce.labels.shopper_labels).toContain('cart_abandoner');
    expect(commerce.labels.shopper_labels).not.toContain('frequent_buyer');
    expect(commerce.labels.recommended_actions).toContain('send_cart_reminder');
    expect(commerce.labels.preferred_categories).toEqual(['bags']);
    expect(commerce.labels.price_range).toBe('mid_range');
    // Weights 0.4 history + 0.2 open cart + 0.2 checkout + 0.2 recency: no unit bought (0), an open
    // cart (1), no checkout (0), last activity minutes ago (recency ≈ 1) → ≈ 0.4.
    expect(Object.keys(commerce.scores).sort()).toEqual([
      'churn_risk',
      'conversion_probability',
      'lifetime_value_estimate',
    ]);
    expect(commerce.scores.conversion_probability).toBeCloseTo(0.4, 3);
    expect(commerce.scores).toMatchObject({ churn_risk: 0, lifetime_value_estimate: 0 });
    expect(commerce.evidence.shopper_labels.cart_abandoner).toMatchObject({
      cart_adds: 4,
      cart_to_purchase: 0,
    });
    expect(segment.segment).toBe('needs_nurturing');
  });

  it('makes a frequent high-value buyer VIP', async () => {
    // Six orders of 400 EUR spread over twelve days: frequent, high-value, and no burst.
    await ingest([0, 2, 4, 6, 8, 10].map((d) => purchase('big-spender', at(-(d + 1) * DAY), 400)));
    await waitFor(
      () => metricTotal(t, readKey, 'big-spender', 'commerce.purchases'),
      (n) => n === 6,
    );
    const revenue = await metricTotal(t, readKey, 'big-spender', 'commerce.revenue:EUR');
    expect(revenue).toBe(2400);
    await run('segmentation');
    const { commerce, segment, engagement } = await insights('big-spender');
    expect(segment.segment).toBe('VIP');
    expect(engagement.segment).toBe('VIP');
    expect(segment.evidence.segment).toMatchObject({ strategy: 'commerce', purchases: 6, revenue: 2400 });
    expect(commerce.labels.shopper_labels).toContain('frequent_buyer');
    expect(commerce.labels.recommended_actions).toEqual(expect.arrayContaining(['request_review']));
    expect(commerce.labels.recommended_actions).not.toContain('offer_vip_upgrade');
    // 2400 EUR over 6 orders in a 30-day window: AOV 400 × 6 orders a month × 12 months.
    expect(commerce.scores.lifetime_value_estimate).toBe(28800);
  });

  it('raises one alert per incident, not one per signal, and keeps it on every later run', async () => {
    // A burst: five orders within four minutes (more than 3 in 10 minutes) and one very large order.
    await ingest([
      ...[5, 4, 3, 2, 1].map((m) => purchase('bursty', at(-m * MINUTE), 20, { orderId: `b-${m}` })),
      purchase('whale', at(-30 * MINUTE), 9000),
    ]);
    const first = await waitFor(
      async () => {
        await run('anomaly-detection');
        return alerts('?rule=commerce.suspicious_purchase');
      },
      (page) => page.items.length >= 2,
    );
    const byUser = (page: any, userId: string) => page.items.filter((a: any) => a.userId === userId);
    expect(byUser(first, 'bursty')).toHaveLength(1);
    expect(byUser(first, 'bursty')[0]).toMatchObject({
      rule: 'commerce.suspicious_purchase',
      severity: 'high',
      resolvedAt: null,
      evidence: { reason: 'burst', max_purchases: 3 },
    });
    expect(byUser(first, 'bursty')[0].evidence.purchases_in_window).toBeGreaterThanOrEqual(4);
    expect(byUser(first, 'whale')).toEqual([
      expect.objectContaining({
        severity: 'medium',
        evidence: expect.objectContaining({ reason: 'large_amount', amount: 9000, threshold: 5000 }),
      }),
    ]);

    // Running again, and more orders inside the same burst, add nothing.
    expect((await run('anomaly-detection')).alertsCreated).toBe(0);
    await ingest([purchase('bursty', at(0), 20), purchase('bursty', at(-10_000), 20)]);
    await waitFor(
      () => metricTotal(t, readKey, 'bursty', 'commerce.purchases'),
      (n) => n === 7,
    );
    await detectAll();
    await run('anomaly-detection');
    expect(byUser(await alerts(), 'bursty')).toHaveLength(1);

    // A separate burst three hours earlier (reported late) is an incident of its own.
    await ingest([3, 2, 1, 0].map((m) => purchase('bursty', at(-3 * 60 * MINUTE - m * MINUTE), 20)));
    await waitFor(
      () => metricTotal(t, readKey, 'bursty', 'commerce.purchases'),
      (n) => n === 11,
    );
    await detectAll();
    const second = await alerts('?userId=bursty');
    expect(second.items).toHaveLength(2);
    expect(new Set(second.items.map((a: any) => a.incidentKey)).size).toBe(2);
    await run('anomaly-detection');
    expect((await alerts('?userId=bursty')).items).toHaveLength(2);

    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `select user_id, count(*)::int n from behavior_alerts where tenant_id = 'shop' group by user_id order by 1`,
      );
      expect(rows).toEqual([
        { user_id: 'bursty', n: 2 },
        { user_id: 'whale', n: 1 },
      ]);
    } finally {
      await db.end();
    }
  });

  it('filters, pages, resolves and isolates alerts by tenant', async () => {
    const medium = await alerts('?severity=medium');
    expect(medium.items.map((a: any) => a.userId)).toEqual(['whale']);
    const page1 = await alerts('?limit=2');
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await alerts(`?limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const ids = [...page1.items, ...page2.items].map((a: any) => a.id);
    expect(new Set(ids).size).toBe(3);

    const whale = medium.items[0];
    const resolved = await t.request('POST', `/api/ai-behavior/alerts/${whale.id}/resolve`, {
      key: adminKey,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolvedAt).toEqual(expect.any(String));
    const again = await t.request('POST', `/api/ai-behavior/alerts/${whale.id}/resolve`, { key: adminKey });
    expect(again.body.resolvedAt).toBe(resolved.body.resolvedAt);
    expect((await alerts('?status=resolved')).items.map((a: any) => a.id)).toEqual([whale.id]);
    expect((await alerts('?status=open')).items).toHaveLength(2);
    await detectAll();
    expect((await alerts('?userId=whale')).items).toHaveLength(1);

    expect(await alerts('', otherReadKey)).toEqual({ items: [], nextCursor: null });
    const foreign = await t.request('POST', `/api/ai-behavior/alerts/${whale.id}/resolve`, {
      key: await createTenantWithKey(t, 'other-shop', ['admin']),
    });
    expect(foreign.status).toBe(404);
    const forbidden = await t.request('GET', '/api/ai-behavior/alerts', { key: ingestKey });
    expect(forbidden.status).toBe(403);
    const bad = await t.request('GET', '/api/ai-behavior/alerts?severity=huge&colour=red', { key: readKey });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: any) => d.path).sort()).toEqual(['colour', 'severity']);
  });

  it('documents the alert endpoints in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/docs-json')).body;
    const list = doc.paths['/api/ai-behavior/alerts'].get;
    expect(list.operationId).toBe('listAlerts');
    expect(list.security).toEqual([{ apiKey: [] }]);
    expect(list.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AlertPageDto',
    });
    expect(list.responses['4XX'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorResponseDto',
    });
    expect(list.parameters.map((p: any) => p.name).sort()).toEqual(
      ['cursor', 'end', 'limit', 'rule', 'severity', 'start', 'status', 'userId'].sort(),
    );
    expect(doc.components.schemas.AlertDto.properties.severity.enum).toEqual([
      'low',
      'medium',
      'high',
      'critical',
    ]);
    expect(doc.paths['/api/ai-behavior/alerts/{id}/resolve'].post.operationId).toBe('resolveAlert');
  });
});
