import { randomBytes } from 'node:crypto';
import {
  BehaviorAnalyzer,
  HttpBehaviorStore,
  InMemoryBehaviorStore,
  createBehaviorTracker,
  type BehaviorEvent,
  type BehaviorStore,
  type BehaviorTracker,
} from '@lssm/personalization';
import { verifyOverlay } from '@lssm/overlay';
import { WorkflowComposer, validateWorkflow, type WorkflowSpec } from '@lssm/workflow';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const CAP = 'billing.createOrder';
const ORDER_FORM = {
  capability: CAP,
  fields: [
    { name: 'customer', label: 'Customer' },
    { name: 'internalNotes', label: 'Internal notes' },
    { name: 'amount', label: 'Amount', type: 'number' },
    { name: 'items', label: 'Items' },
    { name: 'legacyCode', label: 'Legacy code' },
  ],
};

/** draft → review; review approves to done or rejects back to draft. */
const INVOICE_APPROVAL: WorkflowSpec = {
  id: 'invoice-approval',
  version: 1,
  start: 'draft',
  steps: [
    { id: 'draft', type: 'task', label: 'Draft', transitions: [{ to: 'review' }] },
    {
      id: 'review',
      type: 'review',
      label: 'Review',
      transitions: [
        { to: 'done', on: 'approve' },
        { to: 'draft', on: 'reject' },
      ],
    },
    { id: 'done', type: 'end', label: 'Done', transitions: [] },
  ],
  terminal: ['done'],
};

/** Keeps a copy of every appended event, so the client analyzer can check the server on the same set. */
class TeeStore implements BehaviorStore {
  constructor(
    private readonly target: BehaviorStore,
    readonly copy = new InMemoryBehaviorStore(),
  ) {}
  async append(events: readonly BehaviorEvent[]) {
    await this.target.append(events);
    await this.copy.append(events);
  }
  query(): never {
    throw new Error('not used');
  }
}

describe('personalization: the closed loop over HTTP (e2e)', () => {
  let t: TestApp;
  let ingestA: string;
  let readA: string;
  let adminA: string;
  let adminB: string;
  let tee: TeeStore;
  let draftVersion: number;

  const call = (method: string, path: string, key: string, body?: unknown) =>
    t.request(method, path, { key, body });

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { overlays: { keyEncryptionKey: randomBytes(32).toString('base64') } },
    });
    ingestA = await createTenantWithKey(t, 'acme', ['ingest']);
    readA = await createTenantWithKey(t, 'acme', ['read']);
    adminA = await createTenantWithKey(t, 'acme', ['admin']);
    adminB = await createTenantWithKey(t, 'globex', ['admin', 'read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('1. the tracker sends field, feature and workflow events through HttpBehaviorStore', async () => {
    const rejected: unknown[] = [];
    tee = new TeeStore(
      new HttpBehaviorStore({ baseUrl: t.baseUrl, apiKey: ingestA, onRejected: (r) => rejected.push(...r) }),
    );
    const manager: BehaviorTracker = createBehaviorTracker({
      store: tee,
      context: { tenantId: 'acme', userId: 'manager-42', role: 'manager', device: 'web', sessionId: 's-1' },
      autoFlushIntervalMs: 5000,
    });
    for (let i = 0; i < 6; i++) manager.trackFieldAccess({ operation: CAP, field: 'customer' });
    for (let i = 0; i < 5; i++)
      manager.trackFieldAccess({ operation: CAP, field: 'items', action: 'edited' });
    for (let i = 0; i < 3; i++)
      manager.trackFieldAccess({ operation: CAP, field: 'amount', action: 'focused' });
    manager.trackFieldAccess({ operation: CAP, field: 'internalNotes' });
    for (let i = 0; i < 4; i++)
      manager.trackFeatureUsage({ feature: 'orders', action: 'opened', metadata: { layout: 'table' } });
    // Six invoices reach review; only inv-1 moves on (to draft, after a rejection).
    for (let i = 1; i <= 6; i++) {
      manager.trackWorkflowStep({
        workflow: 'invoice-approval',
        step: 'review',
        status: 'entered',
        instanceId: `inv-${i}`,
      });
    }
    await new Promise((r) => setTimeout(r, 5));
    manager.trackWorkflowStep({
      workflow: 'invoice-approval',
      step: 'draft',
      status: 'entered',
      instanceId: 'inv-1',
    });

    // Another user lives in internalNotes: tenant-wide it is not a hide candidate, for manager-42 it is.
    const clerk = createBehaviorTracker({
      store: tee,
      context: { tenantId: 'acme', userId: 'clerk-7', role: 'clerk' },
    });
    for (let i = 0; i < 5; i++)
      clerk.trackFieldAccess({ operation: CAP, field: 'internalNotes', action: 'edited' });

    const flushed = await manager.flush();
    expect(flushed.error).toBeUndefined();
    expect(await manager.close()).toMatchObject({ pending: 0 });
    expect(await clerk.close()).toMatchObject({ pending: 0 });
    expect(manager.stats()).toMatchObject({ sent: 26, dropped: 0, rejected: 0 });
    expect(clerk.stats()).toMatchObject({ sent: 5, dropped: 0, rejected: 0 });
    expect(rejected).toEqual([]);
    expect(tee.copy.size).toBe(31);
  });

  it('2. the signals are stored for the tenant of the key', async () => {
    const res = await call('GET', '/api/ai-behavior/users/manager-42/signals?limit=100', readA);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(26);
    const schemas = new Set(res.body.items.map((s: { schemaId: string }) => s.schemaId));
    expect([...schemas].sort()).toEqual([
      'personalization.feature.usage',
      'personalization.field.access',
      'personalization.workflow.step',
    ]);
    expect(
      res.body.items.every((s: { attributes: { role?: string } }) => s.attributes.role === 'manager'),
    ).toBe(true);
    const globex = await call('GET', '/api/ai-behavior/users/manager-42/signals', adminB);
    expect(globex.status).toBe(200);
    expect(globex.body.items).toEqual([]);
  });

  it('3. server insights for the user, with the stored base spec, equal the client analyzer', async () => {
    expect(
      (await call('PUT', `/api/overlays/base-specs/${CAP}`, adminA, { fields: ORDER_FORM.fields })).status,
    ).toBe(200);
    const until = new Date().toISOString();
    const res = await call(
      'GET',
      `/api/personalization/insights?userId=manager-42&capability=${CAP}&until=${encodeURIComponent(until)}`,
      readA,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: { tenantId: 'acme', userId: 'manager-42' },
      unusedFields: [{ operation: CAP, field: 'legacyCode' }],
      suggestedHiddenFields: [
        { operation: CAP, field: 'internalNotes', accesses: 1 },
        { operation: CAP, field: 'legacyCode', accesses: 0 },
      ],
      frequentlyUsedFields: [
        { operation: CAP, field: 'customer', accesses: 6 },
        { operation: CAP, field: 'items', accesses: 5 },
      ],
      workflowBottlenecks: [{ workflow: 'invoice-approval', step: 'review', entered: 6, completed: 1 }],
      layoutPreference: 'table',
    });
    const expected = await new BehaviorAnalyzer(tee.copy).analyze({
      tenantId: 'acme',
      userId: 'manager-42',
      windowMs: 7 * 24 * 60 * 60 * 1000,
      now: Date.parse(until),
      fields: { [CAP]: ORDER_FORM.fields.map((f) => f.name) },
    });
    expect(res.body).toEqual(expected);

    const tenantWide = await call('GET', `/api/personalization/insights?capability=${CAP}`, readA);
    expect(tenantWide.body.suggestedHiddenFields.map((f: { field: string }) => f.field)).toEqual([
      'legacyCode',
    ]);
  });

  it('4. POST /api/personalization/suggestions stores the suggestion as an overlay draft', async () => {
    const res = await call('POST', '/api/personalization/suggestions', adminA, {
      overlayId: 'acme-order-form',
      capability: CAP,
      userId: 'manager-42',
      workflows: { 'invoice-approval': INVOICE_APPROVAL },
    });
    expect(res.status).toBe(201);
    expect(res.body.outcome).toBe('draft_created');
    expect(res.body.message).toContain('acme-order-form');
    expect(res.body.draft).toMatchObject({
      overlayId: 'acme-order-form',
      version: 1,
      tenantId: 'acme',
      capability: CAP,
      status: 'draft',
      scope: { userId: 'manager-42' },
      signature: null,
    });
    expect(res.body.draft.spec.operations).toEqual([
      { type: 'hideField', field: 'internalNotes' },
      { type: 'hideField', field: 'legacyCode' },
      { type: 'reorderFields', fields: ['customer', 'items'] },
    ]);
    expect(res.body.draft.spec.metadata).toMatchObject({
      source: 'personalization.insights',
      basedOn: { tenantId: 'acme', userId: 'manager-42' },
    });
    expect(res.body.insights.scope).toEqual({ tenantId: 'acme', userId: 'manager-42' });
    draftVersion = res.body.draft.version;

    // The workflow tweak composes into a valid workflow: an assisted review and a reminder before review.
    expect(res.body.workflowTweaks).toHaveLength(1);
    const { workflow } = new WorkflowComposer().compose(INVOICE_APPROVAL, res.body.workflowTweaks, {
      tenantId: 'acme',
    });
    expect(validateWorkflow(workflow)).toEqual({ valid: true, errors: [] });
    expect(workflow.steps.map((s) => s.id)).toEqual([
      'draft',
      'review-assist',
      'review-reminder',
      'review',
      'done',
    ]);

    // The draft is the overlay service's own: readable through the overlay API.
    const stored = await call('GET', '/api/overlays/acme-order-form', readA);
    expect(stored.status).toBe(200);
    expect(stored.body.status).toBe('draft');
  });

  it('5. a second run does not overwrite the draft unless asked to', async () => {
    const again = await call('POST', '/api/personalization/suggestions', adminA, {
      overlayId: 'acme-order-form',
      capability: CAP,
      userId: 'manager-42',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'draft_exists' });
    expect(again.body.message).toContain('replaceDraft');

    const replaced = await call('POST', '/api/personalization/suggestions', adminA, {
      overlayId: 'acme-order-form',
      capability: CAP,
      userId: 'manager-42',
      replaceDraft: true,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.outcome).toBe('draft_updated');
    expect(replaced.body.draft.version).toBe(draftVersion);
    expect(replaced.body.workflowTweaks).toEqual([]);
  });

  it('6. signed with a tenant key through the overlay API', async () => {
    const key = await call('POST', '/api/overlays/keys', adminA, {
      algorithm: 'ed25519',
      keyId: 'acme-loop-1',
    });
    expect(key.status).toBe(201);
    const signed = await call('POST', '/api/overlays/acme-order-form/sign', adminA, {});
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', keyId: 'acme-loop-1', version: draftVersion });
    // Anyone holding the tenant's public key can check it offline, too.
    const verdict = await verifyOverlay(
      { spec: signed.body.spec, signature: signed.body.signature },
      async () => ({
        publicKey: key.body.publicKey,
        algorithm: 'ed25519',
      }),
    );
    expect(verdict).toMatchObject({ valid: true });
  });

  it('7. GET /api/overlays/resolve serves it to manager-42 only', async () => {
    const res = await call('GET', `/api/overlays/resolve?capability=${CAP}&userId=manager-42`, readA);
    expect(res.status).toBe(200);
    expect(
      res.body.overlays.map((o: { overlayId: string; level: string }) => [o.overlayId, o.level]),
    ).toEqual([['acme-order-form', 'user']]);
    const hidden = res.body.fields
      .filter((f: { hidden?: boolean }) => f.hidden)
      .map((f: { name: string }) => f.name);
    expect(hidden.sort()).toEqual(['internalNotes', 'legacyCode']);

    const other = await call('GET', `/api/overlays/resolve?capability=${CAP}&userId=clerk-7`, readA);
    expect(other.body.overlays).toEqual([]);
  });

  it('8. POST /api/overlays/apply hides the unused fields, and the audit shows it', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const res = await call('POST', '/api/overlays/apply', readA, {
      capability: CAP,
      context: { userId: 'manager-42' },
    });
    expect(res.status).toBe(200);
    expect(res.body.spec.fields.map((f: { name: string; hidden: boolean }) => [f.name, f.hidden])).toEqual([
      ['customer', false],
      ['items', false],
      ['internalNotes', true],
      ['amount', false],
      ['legacyCode', true],
    ]);
    expect(res.body.applied).toEqual([
      { overlayId: 'acme-order-form', version: draftVersion, keyId: 'acme-loop-1', level: 'user' },
    ]);
    expect(res.body.provenance.internalNotes.hidden.overlayId).toBe('acme-order-form');

    const clerk = await call('POST', '/api/overlays/apply', readA, {
      capability: CAP,
      context: { userId: 'clerk-7' },
    });
    expect(clerk.body.spec.fields.length).toBeGreaterThan(0);
    expect(clerk.body.spec.fields.every((f: { hidden: boolean }) => !f.hidden)).toBe(true);

    // The audit sink is batched: poll until the application is recorded.
    let items: { overlayId: string; version: number; keyId: string; capability: string; context: unknown }[] =
      [];
    for (let i = 0; i < 50 && items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      items = (
        await call(
          'GET',
          `/api/overlays/audit?overlayId=acme-order-form&from=${encodeURIComponent(from)}`,
          readA,
        )
      ).body.items;
    }
    expect(items).toEqual([
      expect.objectContaining({
        overlayId: 'acme-order-form',
        version: draftVersion,
        keyId: 'acme-loop-1',
        capability: CAP,
        context: { userId: 'manager-42' },
      }),
    ]);
  });

  it('nothing to suggest: a clear answer and no draft', async () => {
    const res = await call('POST', '/api/personalization/suggestions', adminA, {
      overlayId: 'acme-contact-form',
      capability: 'crm.editContact',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'nothing_to_suggest', draft: null, workflowTweaks: [] });
    expect(res.body.message).toMatch(/Nothing to change on crm\.editContact/);
    expect((await call('GET', '/api/overlays/acme-contact-form', readA)).status).toBe(404);

    const tweaksOnly = await call('POST', '/api/personalization/suggestions', adminA, {
      overlayId: 'acme-contact-form',
      capability: 'crm.editContact',
      userId: 'manager-42',
      workflows: { 'invoice-approval': INVOICE_APPROVAL },
    });
    expect(tweaksOnly.status).toBe(200);
    expect(tweaksOnly.body.outcome).toBe('workflow_tweaks_only');
    expect(tweaksOnly.body.workflowTweaks).toHaveLength(1);
  });

  it("tenant isolation: another tenant's admin gets its own (empty) analysis and cannot see the draft", async () => {
    const res = await call('POST', '/api/personalization/suggestions', adminB, {
      overlayId: 'acme-order-form',
      capability: CAP,
      userId: 'manager-42',
    });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('nothing_to_suggest');
    expect(res.body.insights.scope.tenantId).toBe('globex');
    expect((await call('GET', '/api/overlays/acme-order-form', adminB)).status).toBe(404);
  });

  describe('errors', () => {
    const body = { overlayId: 'x', capability: CAP };
    it('401 without or with an unknown key, 403 without the admin scope', async () => {
      const none = await t.request('POST', '/api/personalization/suggestions', { body });
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'missing_api_key' });
      expect(
        (await call('POST', '/api/personalization/suggestions', 'bk_nope_' + 'x'.repeat(43), body)).status,
      ).toBe(401);
      for (const key of [readA, ingestA]) {
        const res = await call('POST', '/api/personalization/suggestions', key, body);
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'insufficient_scope' });
      }
    });

    it('400 for a malformed body, with details', async () => {
      for (const [bad, path] of [
        [{ capability: CAP }, 'overlayId'],
        [{ overlayId: '-bad id', capability: CAP }, 'overlayId'],
        [{ overlayId: 'x', capability: CAP, windowMs: -1 }, 'windowMs'],
        [{ overlayId: 'x', capability: CAP, fields: [''] }, 'fields'],
        [{ overlayId: 'x', capability: CAP, scope: { tenantId: 'globex' } }, 'scope.tenantId'],
        [{ overlayId: 'x', capability: CAP, tenantId: 'globex' }, 'tenantId'],
      ] as const) {
        const res = await call('POST', '/api/personalization/suggestions', adminA, bad);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_request' });
        expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
      }
    });

    it('422 for an invalid workflow base spec or a reserved overlay id, and no draft is left', async () => {
      const badWorkflow = await call('POST', '/api/personalization/suggestions', adminA, {
        overlayId: 'acme-order-form-2',
        capability: CAP,
        userId: 'manager-42',
        workflows: { 'invoice-approval': { ...INVOICE_APPROVAL, start: 'nowhere' } },
      });
      expect(badWorkflow.status).toBe(422);
      expect(badWorkflow.body).toMatchObject({ code: 'invalid_workflow' });
      expect(badWorkflow.body.details[0].path).toMatch(/^workflows\.invoice-approval/);
      expect((await call('GET', '/api/overlays/acme-order-form-2', readA)).status).toBe(404);

      const reserved = await call('POST', '/api/personalization/suggestions', adminA, {
        overlayId: 'audit',
        capability: CAP,
        userId: 'manager-42',
      });
      expect(reserved.status).toBe(422);
      expect(reserved.body.code).toBe('reserved_overlay_id');
    });
  });
});
