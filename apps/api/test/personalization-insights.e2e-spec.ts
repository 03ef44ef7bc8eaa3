import {
  BehaviorAnalyzer,
  HttpBehaviorStore,
  InMemoryBehaviorStore,
  type AnalyzeInput,
  type BehaviorEvent,
  type BehaviorInsights,
} from '@lssm/personalization';
import { Client } from 'pg';
import {
  TEST_ADMIN_KEY,
  createTenantWithKey,
  startTestApp,
  type TestApp,
} from '../../../test/support/test-app';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
// Whole milliseconds in the past: the server refuses timestamps more than 5 minutes ahead.
const END = Math.floor((Date.now() - 2 * HOUR) / 1000) * 1000;
const START = END - 10 * DAY;

const USERS = ['u1', 'u2', 'u3', undefined] as const;
const ROLES = ['clerk', 'manager', undefined] as const;
const OPERATIONS = {
  'billing.createOrder': ['customer', 'items', 'amount', 'currency', 'notes'],
  'crm.editContact': ['name', 'email', 'phone', 'fax'],
} as const;
const ORDER_FORM_FIELDS = [
  ...OPERATIONS['billing.createOrder'],
  'internalNotes',
  'discountCode',
  'legacyCode',
];

/** A small deterministic generator, so every run builds the same events. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

let counter = 0;
const id = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** The server needs a user or a session: anonymous events carry a session only. */
function context(tenantId: string, userId?: string, role?: string) {
  const who = userId ? { userId } : { sessionId: 'anonymous-session' };
  return { tenantId, ...who, ...(role && { role }), device: 'web' };
}

/**
 * A hand-built set exercising every rule (field thresholds and `edited`, loose and per-instance steps,
 * "moved on", ties, completions without entries, layouts, window bounds) plus a seeded bulk that
 * gives the thresholds something to decide on.
 */
function buildEvents(tenantId: string, seed: number): BehaviorEvent[] {
  const rnd = lcg(seed);
  const events: BehaviorEvent[] = [];
  const field = (
    t: number,
    operation: string,
    name: string,
    action: 'viewed' | 'edited' | 'focused',
    who = context(tenantId, 'u1', 'clerk'),
  ) => events.push({ kind: 'field_access', id: id(), timestamp: t, ...who, operation, field: name, action });
  const step = (
    t: number,
    workflow: string,
    name: string,
    status: 'entered' | 'completed' | 'abandoned',
    instanceId?: string,
    who = context(tenantId, 'u2', 'manager'),
  ) =>
    events.push({
      kind: 'workflow_step',
      id: id(),
      timestamp: t,
      ...who,
      workflow,
      step: name,
      status,
      ...(instanceId !== undefined && { instanceId }),
    });
  const feature = (t: number, layout: string | undefined, who = context(tenantId, 'u1', 'clerk')) =>
    events.push({
      kind: 'feature_usage',
      id: id(),
      timestamp: t,
      ...who,
      feature: 'orders',
      action: 'opened',
      ...(layout !== undefined && { metadata: { layout } }),
    });

  // Seeded bulk across users, roles and the whole window.
  for (let i = 0; i < 700; i++) {
    const t = START + rnd(10 * DAY);
    const who = context(tenantId, USERS[rnd(USERS.length)], ROLES[rnd(ROLES.length)]);
    const pick = rnd(10);
    if (pick < 5) {
      const operation = rnd(3) === 0 ? 'crm.editContact' : 'billing.createOrder';
      const names = OPERATIONS[operation];
      // Skewed towards the first fields so some are frequent and some rare.
      const name = names[Math.min(rnd(names.length), rnd(names.length))]!;
      field(t, operation, name, (['viewed', 'viewed', 'edited', 'focused'] as const)[rnd(4)]!, who);
    } else if (pick < 7) {
      feature(t, (['table', 'table', 'cards', 'list', 'grid', undefined] as const)[rnd(6)], who);
    } else {
      const steps = ['draft', 'review', 'approve'];
      const statuses = ['entered', 'entered', 'completed', 'abandoned'] as const;
      const instance = rnd(2) === 0 ? undefined : `inv-${rnd(40)}`;
      step(
        t,
        rnd(4) === 0 ? 'onboarding' : 'invoice-approval',
        steps[rnd(3)]!,
        statuses[rnd(4)]!,
        instance,
        who,
      );
    }
  }

  // Edge cases at fixed times (hours after START).
  const at = (h: number) => START + h * HOUR;
  // internalNotes: viewed once (a hide candidate); discountCode: accessed once, by an edit (never hidden).
  field(at(30), 'billing.createOrder', 'internalNotes', 'viewed');
  field(at(31), 'billing.createOrder', 'discountCode', 'edited');
  // Per-instance rules: moving on completes the previous step; a return to it completes the other.
  step(at(40), 'invoice-approval', 'draft', 'entered', 'x-1');
  step(at(41), 'invoice-approval', 'review', 'entered', 'x-1');
  step(at(42), 'invoice-approval', 'draft', 'entered', 'x-2');
  step(at(44), 'invoice-approval', 'review', 'entered', 'x-2');
  step(at(43), 'invoice-approval', 'draft', 'entered', 'x-2');
  // Same timestamp: neither moved on. A completion without entry, an abandoned entry.
  step(at(50), 'invoice-approval', 'review', 'entered', 'x-3');
  step(at(50), 'invoice-approval', 'approve', 'entered', 'x-3');
  step(at(51), 'invoice-approval', 'approve', 'completed', 'x-4');
  step(at(52), 'invoice-approval', 'review', 'entered', 'x-5');
  step(at(53), 'invoice-approval', 'review', 'abandoned', 'x-5');
  // The same instance id in another workflow is another instance.
  step(at(54), 'onboarding', 'review', 'entered', 'x-1');
  // An empty instance id is still an instance id (the schema allows it).
  step(at(55), 'onboarding', 'draft', 'entered', '');
  step(at(56), 'onboarding', 'review', 'entered', '');
  // Loose completions beyond entries are capped.
  for (let i = 0; i < 6; i++) step(at(60 + i), 'expenses', 'submit', 'entered');
  for (let i = 0; i < 9; i++) step(at(60 + i), 'expenses', 'submit', 'completed');
  for (let i = 0; i < 6; i++) step(at(70 + i), 'expenses', 'check', 'entered');
  step(at(77), 'expenses', 'check', 'completed');
  // Layouts a clear winner for u1/clerk.
  for (let i = 0; i < 15; i++) feature(at(80 + i), 'cards');
  // Names that sort differently by locale and by code point.
  field(at(90), 'billing.createOrder', 'Zeta', 'viewed');
  field(at(91), 'billing.createOrder', 'alpha', 'viewed');
  field(at(92), 'billing.createOrder', 'Émile', 'viewed');
  // Exactly on the bounds of the 2-day window [START + 3d, START + 5d] and just outside it.
  for (const t of [START + 3 * DAY - 1, START + 3 * DAY, START + 5 * DAY, START + 5 * DAY + 1]) {
    field(t, 'billing.createOrder', `bound-${t - START}`, 'viewed', context(tenantId, 'u3'));
  }
  return events;
}

describe('personalization insights (e2e): the server equals BehaviorAnalyzer', () => {
  let t: TestApp;
  let readA: string;
  let readB: string;
  let adminA: string;
  let ingestA: string;
  const acme = new InMemoryBehaviorStore();
  const globex = new InMemoryBehaviorStore();

  const serverInsights = async (query: Record<string, string | number | string[]>, key = readA) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
    }
    return t.request('GET', `/api/personalization/insights?${params}`, { key });
  };

  beforeAll(async () => {
    t = await startTestApp();
    adminA = await createTenantWithKey(t, 'acme', ['admin']);
    readA = await createTenantWithKey(t, 'acme', ['read']);
    ingestA = await createTenantWithKey(t, 'acme', ['ingest']);
    const ingestB = await createTenantWithKey(t, 'globex', ['ingest']);
    readB = await createTenantWithKey(t, 'globex', ['read']);

    const acmeEvents = buildEvents('acme', 7);
    // Globex gets events of its own (another seed, one operation only it uses) through its own key.
    const globexEvents = buildEvents('globex', 99);
    for (let i = 0; i < 8; i++) {
      globexEvents.push({
        kind: 'field_access',
        id: id(),
        timestamp: START + DAY + i,
        tenantId: 'globex',
        userId: 'u1',
        operation: 'globex.only',
        field: 'secret',
        action: 'viewed',
      });
    }
    await acme.append(acmeEvents);
    await globex.append(globexEvents);
    const rejected: unknown[] = [];
    const onRejected = (r: unknown[]) => rejected.push(...r);
    await new HttpBehaviorStore({ baseUrl: t.baseUrl, apiKey: ingestA, onRejected }).append(acmeEvents);
    await new HttpBehaviorStore({ baseUrl: t.baseUrl, apiKey: ingestB, onRejected }).append(globexEvents);
    expect(rejected).toEqual([]);

    const db = new Client({ connectionString: t.database.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `select tenant_id, count(*)::int as n from behavior_signals group by tenant_id order by tenant_id`,
      );
      expect(rows).toEqual([
        { tenant_id: 'acme', n: acmeEvents.length },
        { tenant_id: 'globex', n: globexEvents.length },
      ]);
    } finally {
      await db.end();
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const cases: [string, Omit<AnalyzeInput, 'tenantId'>][] = [
    ['tenant-wide over the whole set', { windowMs: 10 * DAY, now: END }],
    ['tenant-wide, a window ending now (default until)', { windowMs: 30 * DAY }],
    ['one user', { userId: 'u1', windowMs: 10 * DAY, now: END }],
    ['another user', { userId: 'u2', windowMs: 10 * DAY, now: END }],
    ['one role', { role: 'clerk', windowMs: 10 * DAY, now: END }],
    ['a user and a role', { userId: 'u2', role: 'manager', windowMs: 10 * DAY, now: END }],
    ['a two-day window with events exactly on its bounds', { windowMs: 2 * DAY, now: START + 5 * DAY }],
    ['the bounds for the user who owns them', { userId: 'u3', windowMs: 2 * DAY, now: START + 5 * DAY }],
    ['a user without events', { userId: 'nobody', windowMs: 10 * DAY, now: END }],
    ['a window before every event', { windowMs: DAY, now: START - 1 }],
  ];

  it.each(cases)('%s', async (_name, input) => {
    const query: Record<string, string | number> = { windowMs: input.windowMs };
    if (input.userId) query.userId = input.userId;
    if (input.role) query.role = input.role;
    let now = input.now as number | undefined;
    if (now !== undefined) query.until = new Date(now).toISOString();
    const res = await serverInsights(query);
    expect(res.status).toBe(200);
    // Without `until` the server picks now: compare with the analyzer at the server's end of window.
    now ??= Date.parse(res.body.window.until);
    const expected = await new BehaviorAnalyzer(acme).analyze({ tenantId: 'acme', ...input, now });
    expect(res.body).toEqual(expected);
  });

  it('the set is rich enough for the comparison to mean something', async () => {
    const insights = (await serverInsights({ windowMs: 10 * DAY, until: new Date(END).toISOString() }))
      .body as BehaviorInsights;
    expect(insights.frequentlyUsedFields.length).toBeGreaterThan(3);
    expect(insights.suggestedHiddenFields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['internalNotes', 'Zeta', 'alpha', 'Émile']),
    );
    // Code-point order, not locale order.
    const odd = insights.suggestedHiddenFields
      .map((f) => f.field)
      .filter((f) => /^(Zeta|alpha|Émile)$/.test(f));
    expect(odd).toEqual(['Zeta', 'alpha', 'Émile']);
    expect(insights.suggestedHiddenFields.map((f) => f.field)).not.toContain('discountCode');
    expect(insights.workflowBottlenecks.map((b) => `${b.workflow}/${b.step}`)).toContain('expenses/check');
    expect(insights.workflowBottlenecks.map((b) => `${b.workflow}/${b.step}`)).not.toContain(
      'expenses/submit',
    );
    expect(
      insights.layoutUsage.table + insights.layoutUsage.cards + insights.layoutUsage.list,
    ).toBeGreaterThan(50);
    const clerk = (
      await serverInsights({
        userId: 'u1',
        role: 'clerk',
        windowMs: 10 * DAY,
        until: new Date(END).toISOString(),
      })
    ).body as BehaviorInsights;
    expect(clerk.layoutPreference).toBe('cards');
    const bounds = (
      await serverInsights({
        userId: 'u3',
        windowMs: 2 * DAY,
        until: new Date(START + 5 * DAY).toISOString(),
      })
    ).body as BehaviorInsights;
    const boundFields = bounds.suggestedHiddenFields
      .filter((f) => f.field.startsWith('bound-'))
      .map((f) => f.field);
    expect(boundFields).toEqual([`bound-${3 * DAY}`, `bound-${5 * DAY}`]);
  });

  it('known fields from the stored base spec equal analyze({ fields })', async () => {
    const put = await t.request('PUT', '/api/overlays/base-specs/billing.createOrder', {
      key: adminA,
      body: {
        fields: ORDER_FORM_FIELDS.map((name) => ({ name, label: name })),
      },
    });
    expect(put.status).toBe(200);
    const res = await serverInsights({
      userId: 'u1',
      windowMs: 10 * DAY,
      until: new Date(END).toISOString(),
      capability: ['billing.createOrder'],
    });
    expect(res.status).toBe(200);
    const expected = await new BehaviorAnalyzer(acme).analyze({
      tenantId: 'acme',
      userId: 'u1',
      windowMs: 10 * DAY,
      now: END,
      fields: { 'billing.createOrder': ORDER_FORM_FIELDS },
    });
    expect(res.body).toEqual(expected);
    expect(res.body.unusedFields).toContainEqual({ operation: 'billing.createOrder', field: 'legacyCode' });

    const missing = await serverInsights({
      windowMs: DAY,
      capability: ['billing.createOrder', 'crm.nothing'],
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'base_spec_not_found' });
  });

  it('tenant isolation: each tenant sees only its own signals and base specs', async () => {
    const own = await serverInsights({ windowMs: 10 * DAY, until: new Date(END).toISOString() }, readB);
    expect(own.status).toBe(200);
    expect(own.body).toEqual(
      await new BehaviorAnalyzer(globex).analyze({ tenantId: 'globex', windowMs: 10 * DAY, now: END }),
    );
    expect(own.body.frequentlyUsedFields).toContainEqual({
      operation: 'globex.only',
      field: 'secret',
      accesses: 8,
    });

    const acmeView = await serverInsights({ windowMs: 10 * DAY, until: new Date(END).toISOString() });
    const operations = [...acmeView.body.frequentlyUsedFields, ...acmeView.body.suggestedHiddenFields].map(
      (f: { operation: string }) => f.operation,
    );
    expect(operations).not.toContain('globex.only');
    // acme's base spec is not globex's.
    const spec = await serverInsights({ windowMs: DAY, capability: 'billing.createOrder' }, readB);
    expect(spec.status).toBe(404);
  });

  describe('errors', () => {
    it('401 without or with an unknown key, 403 without the read scope', async () => {
      const path = '/api/personalization/insights';
      const none = await t.request('GET', path);
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'missing_api_key' });
      expect((await t.request('GET', path, { key: 'bk_nope_' + 'x'.repeat(43) })).status).toBe(401);
      expect((await t.request('GET', path, { key: TEST_ADMIN_KEY })).status).toBe(401);
      for (const key of [ingestA, adminA]) {
        const res = await t.request('GET', path, { key });
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'insufficient_scope' });
      }
    });

    it.each([
      ['windowMs=0', 'windowMs'],
      ['windowMs=abc', 'windowMs'],
      [`windowMs=${400 * DAY}`, 'windowMs'],
      ['until=2026-03-01T10:00:00', 'until'],
      ['until=yesterday', 'until'],
      ['userId=', 'userId'],
      ['unknown=1', 'unknown'],
    ])('400 for %s', async (query, path) => {
      const res = await t.request('GET', `/api/personalization/insights?${query}`, { key: readA });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'invalid_request' });
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    });
  });

  it('the OpenAPI document describes both endpoints, their inputs, outputs and errors', async () => {
    const doc = (await t.request('GET', '/docs-json')).body;
    const get = doc.paths['/api/personalization/insights'].get;
    expect(get.operationId).toBe('getPersonalizationInsights');
    expect(get.security).toEqual([{ apiKey: [] }]);
    expect(get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ['capability', 'role', 'until', 'userId', 'windowMs'].sort(),
    );
    expect(get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/PersonalizationInsightsDto',
    );
    const post = doc.paths['/api/personalization/suggestions'].post;
    expect(post.operationId).toBe('createPersonalizationSuggestion');
    expect(post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreatePersonalizationSuggestionDto',
    );
    for (const [op, statuses] of [
      [get, ['400', '401', '403', '404', '503']],
      [post, ['400', '401', '403', '409', '422', '503']],
    ] as const) {
      for (const status of statuses) {
        expect(op.responses[status].content['application/json'].schema.$ref).toBe(
          '#/components/schemas/ErrorResponseDto',
        );
      }
    }
    expect(post.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/PersonalizationSuggestionDto',
    );
    const insights = doc.components.schemas.PersonalizationInsightsDto;
    expect(Object.keys(insights.properties).sort()).toEqual(
      [
        'frequentlyUsedFields',
        'layoutPreference',
        'layoutUsage',
        'scope',
        'suggestedHiddenFields',
        'unusedFields',
        'window',
        'workflowBottlenecks',
      ].sort(),
    );
    expect(doc.components.schemas.PersonalizationSuggestionDto.properties.draft.allOf[0].$ref).toBe(
      '#/components/schemas/OverlayDto',
    );
    expect(doc.components.schemas.OverlayDto).toBeDefined();
  });
});
