import { Client } from 'pg';
import { approval, notification } from '@lssm/workflow';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';

type Step = { id: string; type: string; label: string; transitions: { to: string; on?: string }[] };

const purchaseOrder = (): { name: string; start: string; terminal: string[]; steps: Step[] } => ({
  name: 'Purchase order',
  start: 'draft',
  terminal: ['ordered', 'cancelled'],
  steps: [
    { id: 'draft', type: 'form', label: 'Draft', transitions: [{ to: 'submit' }] },
    { id: 'submit', type: 'task', label: 'Submit', transitions: [{ to: 'review' }] },
    {
      id: 'review',
      type: 'review',
      label: 'Buyer review',
      transitions: [
        { to: 'ordered', on: 'approve' },
        { to: 'cancelled', on: 'reject' },
      ],
    },
    { id: 'ordered', type: 'task', label: 'Ordered', transitions: [] },
    { id: 'cancelled', type: 'task', label: 'Cancelled', transitions: [] },
  ],
});

/** Version 2: `submit` is renamed `send`, and a `hold` step can only finish through `cancelled`. */
const purchaseOrderV2 = () => {
  const spec = purchaseOrder();
  spec.steps = spec.steps.map((s) =>
    s.id === 'submit'
      ? { ...s, id: 'send', label: 'Send', transitions: [{ to: 'review' }, { to: 'hold', on: 'hold' }] }
      : s.id === 'draft'
        ? { ...s, transitions: [{ to: 'send' }] }
        : s,
  );
  spec.steps.push({
    id: 'hold',
    type: 'task',
    label: 'On hold',
    transitions: [
      { to: 'hold', on: 'wait' },
      { to: 'cancelled', on: 'give-up' },
    ],
  });
  return spec;
};

/** "step → to(on), …" per step: a failed assertion shows exactly which edge is wrong. */
const edges = (workflow: { steps: Step[] }) =>
  Object.fromEntries(
    workflow.steps.map((s) => [
      s.id,
      s.transitions.map((t) => (t.on ? `${t.to}(${t.on})` : t.to)).join(', '),
    ]),
  );

describe('workflow service (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let adminA: string;
  let readA: string;
  let ingestA: string;
  let adminB: string;
  const call = async (method: string, path: string, key?: string, body?: unknown) =>
    t.request(method, path, { key, body });
  const putVersion = (id: string, version: number, body: unknown, key = adminA) =>
    call('PUT', `/api/workflows/${id}/versions/${version}`, key, body);
  const putExtension = (id: string, extensionId: string, body: unknown, key = adminA) =>
    call('PUT', `/api/workflows/${id}/extensions/${extensionId}`, key, body);
  const compose = (id: string, query = '', key = readA) =>
    call('GET', `/api/workflows/${id}/compose${query ? `?${query}` : ''}`, key);

  beforeAll(async () => {
    t = await startTestApp();
    adminA = await createTenantWithKey(t, 'acme', ['admin']);
    readA = await createTenantWithKey(t, 'acme', ['read']);
    ingestA = await createTenantWithKey(t, 'acme', ['ingest']);
    adminB = await createTenantWithKey(t, 'globex', ['admin', 'read']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('auth', () => {
    // Every row has four items: Jest would take a missing fourth argument for `done`.
    const endpoints: [string, string, 'read' | 'admin', unknown][] = [
      ['GET', '/api/workflows', 'read', undefined],
      ['GET', '/api/workflows/w', 'read', undefined],
      ['GET', '/api/workflows/w/versions', 'read', undefined],
      ['GET', '/api/workflows/w/versions/1', 'read', undefined],
      ['PUT', '/api/workflows/w/versions/1', 'admin', purchaseOrder()],
      ['GET', '/api/workflows/w/compose', 'read', undefined],
      ['POST', '/api/workflows/w/check', 'admin', { ...purchaseOrder(), version: 1 }],
      ['GET', '/api/workflows/w/extensions', 'read', undefined],
      ['GET', '/api/workflows/w/extensions/e', 'read', undefined],
      ['PUT', '/api/workflows/w/extensions/e', 'admin', { operations: [] }],
      ['DELETE', '/api/workflows/w/extensions/e', 'admin', undefined],
    ];

    it.each(endpoints)(
      '%s %s: 401 without or with a bad key, 403 with the wrong scope',
      async (method, path, scope, body) => {
        expect((await call(method, path, undefined, body)).status).toBe(401);
        expect((await call(method, path, 'bk_nope_' + 'x'.repeat(43), body)).status).toBe(401);
        const ingest = await call(method, path, ingestA, body);
        expect(ingest.status).toBe(403);
        expect(ingest.body).toMatchObject({
          statusCode: 403,
          error: 'Forbidden',
          code: 'insufficient_scope',
        });
        if (scope === 'admin') expect((await call(method, path, readA, body)).status).toBe(403);
        // admin implies read on /api/workflows: the key that publishes can read back
        else expect([401, 403]).not.toContain((await call(method, path, adminA, body)).status);
      },
    );

    it('the service admin key (no tenant) is refused', async () => {
      expect((await call('GET', '/api/workflows', TEST_ADMIN_KEY)).status).toBe(401);
    });
  });

  describe('base versions', () => {
    it('publishes versions, reads them back, lists them', async () => {
      const v1 = await putVersion('crud', 1, purchaseOrder());
      expect(v1.status).toBe(201);
      expect(v1.body).toMatchObject({
        workflowId: 'crud',
        version: 1,
        name: 'Purchase order',
        spec: { id: 'crud', version: 1, start: 'draft', terminal: ['ordered', 'cancelled'] },
      });
      expect(Date.parse(v1.body.createdAt)).not.toBeNaN();
      expect(v1.body.spec.steps).toEqual(purchaseOrder().steps);

      const v2body = { ...purchaseOrder(), name: 'Purchase order 2', id: 'crud', version: 2 };
      expect((await putVersion('crud', 2, v2body)).status).toBe(201);

      const latest = await call('GET', '/api/workflows/crud', readA);
      expect(latest.status).toBe(200);
      expect(latest.body).toMatchObject({ workflowId: 'crud', version: 2, name: 'Purchase order 2' });

      const one = await call('GET', '/api/workflows/crud/versions/1', readA);
      expect(one.status).toBe(200);
      expect(one.body.spec).toEqual({ id: 'crud', version: 1, ...purchaseOrder() });

      const versions = await call('GET', '/api/workflows/crud/versions', readA);
      expect(versions.status).toBe(200);
      expect(versions.body).toMatchObject({ workflowId: 'crud', latestVersion: 2 });
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions.body.items[0].spec).toBeUndefined();

      const list = await call('GET', '/api/workflows', readA);
      expect(list.status).toBe(200);
      expect(list.body.items).toContainEqual({
        workflowId: 'crud',
        name: 'Purchase order 2',
        latestVersion: 2,
        versions: [2, 1],
        extensionCount: 0,
      });
    });

    it('putting the same version again is a no-op (200, key order does not matter); other content is 409', async () => {
      const spec = purchaseOrder();
      const reordered = { terminal: spec.terminal, steps: spec.steps, start: spec.start, name: spec.name };
      const again = await putVersion('crud', 1, reordered);
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(1);

      const changed = { ...purchaseOrder(), name: 'Renamed' };
      const res = await putVersion('crud', 1, changed);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'version_exists' });
      expect((await call('GET', '/api/workflows/crud/versions/1', readA)).body.name).toBe('Purchase order');
    });

    it('404 for an unknown workflow or version', async () => {
      for (const path of [
        '/api/workflows/nope',
        '/api/workflows/nope/versions',
        '/api/workflows/nope/versions/1',
      ]) {
        const res = await call('GET', path, readA);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'workflow_not_found' });
      }
      const res = await call('GET', '/api/workflows/crud/versions/9', readA);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('workflow_version_not_found');
    });

    it('422 with a path and the step for every problem the core validator finds', async () => {
      const spec = purchaseOrder();
      spec.steps[1]!.transitions = [{ to: 'reveiw' }];
      const res = await putVersion('bad', 1, spec);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        statusCode: 422,
        error: 'Unprocessable Entity',
        code: 'invalid_workflow',
      });
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            path: 'steps[1].transitions',
            code: 'unknown_transition_target',
            stepId: 'submit',
          }),
          expect.objectContaining({ path: 'steps[2]', code: 'unreachable_step', stepId: 'review' }),
        ]),
      );

      const shape = purchaseOrder() as any;
      delete shape.steps[0].label;
      shape.steps[0].transitons = [];
      shape.start = '';
      const bad = await putVersion('bad', 1, shape);
      expect(bad.status).toBe(422);
      expect(bad.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'steps[0].label', code: 'invalid_shape' }),
          expect.objectContaining({ path: 'steps[0].transitons', code: 'unknown_property' }),
          expect.objectContaining({ path: 'start', code: 'invalid_shape' }),
        ]),
      );

      const mismatch = await putVersion('bad', 1, { ...purchaseOrder(), id: 'other', version: 2 });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body.code).toBe('path_mismatch');
      expect(mismatch.body.details.map((d: { path: string }) => d.path)).toEqual(['id', 'version']);
      expect((await call('GET', '/api/workflows/bad', readA)).status).toBe(404);
    });

    it('400 for a malformed envelope, id or version; the tenant never comes from the body', async () => {
      expect((await putVersion('crud', 0, purchaseOrder())).status).toBe(400);
      expect((await putVersion('crud', 'x' as never, purchaseOrder())).status).toBe(400);
      expect((await putVersion('-bad', 1, purchaseOrder())).status).toBe(400);
      expect((await putVersion('crud', 5, { ...purchaseOrder(), steps: 'no' })).status).toBe(400);
      const tenant = await putVersion('crud', 5, { ...purchaseOrder(), tenantId: 'globex' });
      expect(tenant.status).toBe(400);
      expect(tenant.body).toMatchObject({ statusCode: 400, code: 'invalid_request' });
      expect(tenant.body.details[0].path).toBe('tenantId');
    });
  });

  describe('extensions and composition', () => {
    const approvalExt = {
      operations: approval({ after: 'submit', approverRole: 'buyer-lead', rejectTo: 'draft' }),
    };
    const managerExt = {
      scope: { role: 'manager' },
      operations: [
        { type: 'setLabel', anchor: 'review', label: 'Manager review' },
        {
          type: 'insertBefore',
          anchor: 'review',
          step: { id: 'budget', type: 'task', label: 'Budget check' },
        },
      ],
    };
    const mobileExt = {
      scope: { device: 'mobile' },
      operations: notification({
        after: 'ordered',
        id: 'push-ordered',
        channel: 'push',
        template: 'po-ordered',
      }),
    };
    const managerMobileExt = {
      scope: { role: 'manager', device: 'mobile' },
      operations: [{ type: 'setLabel', anchor: 'push-ordered', label: 'Push to manager' }],
    };

    beforeAll(async () => {
      expect((await putVersion('po', 1, purchaseOrder())).status).toBe(201);
      // The role+device extension anchors on a step the device extension adds: stored after it.
      for (const [id, body] of [
        ['acme-mobile', mobileExt],
        ['acme-manager', managerExt],
        ['acme-approval', approvalExt],
      ] as const) {
        expect((await putExtension('po', id, body)).status).toBe(201);
      }
      expect((await putExtension('po', 'acme-manager-mobile', managerMobileExt)).status).toBe(201);
    });

    it('stores an extension scoped to the caller tenant and reads it back', async () => {
      const res = await call('GET', '/api/workflows/po/extensions/acme-manager', readA);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        extensionId: 'acme-manager',
        workflowId: 'po',
        scope: { tenantId: 'acme', role: 'manager' },
        operations: managerExt.operations,
      });
      expect(res.body.scope.device).toBeUndefined();
      expect(Date.parse(res.body.createdAt)).not.toBeNaN();
      const row = await db.query(
        `select tenant_id, role, device from workflow_extensions where extension_id = 'acme-manager'`,
      );
      expect(row.rows).toEqual([{ tenant_id: 'acme', role: 'manager', device: null }]);
    });

    it('lists extensions in the order the composer applies them', async () => {
      const res = await call('GET', '/api/workflows/po/extensions', readA);
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: { extensionId: string }) => e.extensionId)).toEqual([
        'acme-approval',
        'acme-manager',
        'acme-mobile',
        'acme-manager-mobile',
      ]);
      const list = await call('GET', '/api/workflows', readA);
      expect(list.body.items.find((w: { workflowId: string }) => w.workflowId === 'po').extensionCount).toBe(
        4,
      );
    });

    it('composes for the tenant only: the tenant extension, with provenance', async () => {
      const res = await compose('po');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ workflowId: 'po', baseVersion: 1, context: { tenantId: 'acme' } });
      expect(res.body.applied.map((a: { extensionId: string }) => a.extensionId)).toEqual(['acme-approval']);
      expect(edges(res.body.workflow)).toEqual({
        draft: 'submit',
        submit: 'approval',
        approval: 'review, draft(rejected)',
        review: 'ordered(approve), cancelled(reject)',
        ordered: '',
        cancelled: '',
      });
      expect(res.body.provenance.approval).toMatchObject({ stepId: 'approval', addedBy: 'acme-approval' });
      expect(res.body.provenance.draft).toEqual({ stepId: 'draft', addedBy: null, changes: [] });
      expect(res.body.removed).toEqual([]);
    });

    it('composes by role, device and both, least specific first', async () => {
      const manager = await compose('po', 'role=manager');
      expect(manager.status).toBe(200);
      expect(manager.body.applied.map((a: { extensionId: string }) => a.extensionId)).toEqual([
        'acme-approval',
        'acme-manager',
      ]);
      expect(edges(manager.body.workflow)).toMatchObject({
        approval: 'budget, draft(rejected)',
        budget: 'review',
      });
      expect(manager.body.workflow.steps.find((s: Step) => s.id === 'review').label).toBe('Manager review');

      const mobile = await compose('po', 'device=mobile');
      expect(mobile.body.applied.map((a: { extensionId: string }) => a.extensionId)).toEqual([
        'acme-approval',
        'acme-mobile',
      ]);
      expect(mobile.body.workflow.terminal).toEqual(['push-ordered', 'cancelled']);
      expect(edges(mobile.body.workflow)).toMatchObject({ ordered: 'push-ordered' });

      const both = await compose('po', 'role=manager&device=mobile');
      expect(both.status).toBe(200);
      expect(both.body.context).toEqual({ tenantId: 'acme', role: 'manager', device: 'mobile' });
      expect(
        both.body.applied.map((a: { extensionId: string; specificity: number }) => [
          a.extensionId,
          a.specificity,
        ]),
      ).toEqual([
        ['acme-approval', 0],
        ['acme-manager', 1],
        ['acme-mobile', 2],
        ['acme-manager-mobile', 3],
      ]);
      const push = both.body.workflow.steps.find((s: Step) => s.id === 'push-ordered');
      expect(push).toMatchObject({ type: 'notification', label: 'Push to manager' });
      expect(both.body.provenance['push-ordered'].addedBy).toBe('acme-mobile');
      expect(both.body.provenance['push-ordered'].changes).toContainEqual(
        expect.objectContaining({ extensionId: 'acme-manager-mobile', kind: 'relabelled' }),
      );

      const clerk = await compose('po', 'role=clerk&device=desktop');
      expect(clerk.body.applied.map((a: { extensionId: string }) => a.extensionId)).toEqual([
        'acme-approval',
      ]);
    });

    it('replaces an extension (200) and deletes one (204, then 404)', async () => {
      const replaced = await putExtension('po', 'acme-manager', {
        ...managerExt,
        priority: 3,
        description: 'manager tweaks',
        operations: [managerExt.operations[0]],
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ priority: 3, description: 'manager tweaks' });
      expect(replaced.body.operations).toHaveLength(1);
      expect(Date.parse(replaced.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(replaced.body.createdAt));
      const manager = await compose('po', 'role=manager');
      expect(manager.body.workflow.steps.map((s: Step) => s.id)).not.toContain('budget');

      expect((await putExtension('po', 'temp', { operations: [] })).status).toBe(201);
      const deleted = await call('DELETE', '/api/workflows/po/extensions/temp', adminA);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();
      const gone = await call('GET', '/api/workflows/po/extensions/temp', readA);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('extension_not_found');
      expect((await call('DELETE', '/api/workflows/po/extensions/temp', adminA)).body.code).toBe(
        'extension_not_found',
      );
    });

    it('refuses, with 409 naming the dependants, a change or delete that would break other extensions', async () => {
      const moved = await putExtension('po', 'acme-mobile', {
        ...mobileExt,
        operations: notification({
          after: 'ordered',
          id: 'push-done',
          channel: 'push',
          template: 'po-ordered',
        }),
      });
      expect(moved.status).toBe(409);
      expect(moved.body).toMatchObject({ code: 'breaks_extensions' });
      expect(moved.body.details).toEqual([
        expect.objectContaining({
          path: 'extensions.acme-manager-mobile.operations[0]',
          code: 'missing_anchor',
          extensionId: 'acme-manager-mobile',
          anchor: 'push-ordered',
          operationIndex: 0,
        }),
      ]);

      const del = await call('DELETE', '/api/workflows/po/extensions/acme-mobile', adminA);
      expect(del.status).toBe(409);
      expect(del.body.code).toBe('extension_in_use');
      expect(del.body.details[0]).toMatchObject({
        extensionId: 'acme-manager-mobile',
        anchor: 'push-ordered',
      });
      const still = await call('GET', '/api/workflows/po/extensions/acme-mobile', readA);
      expect(still.body.operations[0].step.id).toBe('push-ordered');
    });

    it('422 for a malformed extension, a missing anchor, an unknown pinned version; 404 for an unknown workflow', async () => {
      const malformed = await putExtension('po', 'broken', {
        priority: 'high',
        operations: [
          { type: 'explode', anchor: 'review' },
          { type: 'setLabel', anchor: '' },
        ],
      });
      expect(malformed.status).toBe(422);
      expect(malformed.body.code).toBe('invalid_extension');
      expect(malformed.body.details.map((d: { path: string }) => d.path)).toEqual(
        expect.arrayContaining([
          'priority',
          'operations[0].type',
          'operations[1].anchor',
          'operations[1].label',
        ]),
      );

      const extra = await putExtension('po', 'broken', {
        operations: [{ type: 'removeStep', anchor: 'review', step: { id: 'x' } }],
      });
      expect(extra.status).toBe(422);
      expect(extra.body.details[0]).toMatchObject({ path: 'operations[0].step', code: 'unknown_property' });

      const anchor = await putExtension('po', 'broken', {
        operations: [
          { type: 'setLabel', anchor: 'draft', label: 'Draft' },
          { type: 'insertAfter', anchor: 'aproval', step: { id: 'x', type: 'task', label: 'X' } },
        ],
      });
      expect(anchor.status).toBe(422);
      expect(anchor.body).toMatchObject({ code: 'incompatible_extension' });
      expect(anchor.body.details).toEqual([
        expect.objectContaining({
          path: 'operations[1]',
          code: 'missing_anchor',
          extensionId: 'broken',
          anchor: 'aproval',
          operationIndex: 1,
        }),
      ]);

      const pinned = await putExtension('po', 'broken', { baseVersion: 7, operations: [] });
      expect(pinned.status).toBe(422);
      expect(pinned.body.code).toBe('base_version_not_found');

      const mismatch = await putExtension('po', 'broken', { extensionId: 'other', operations: [] });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body.code).toBe('path_mismatch');

      const tenant = await putExtension('po', 'broken', { scope: { tenantId: 'globex' }, operations: [] });
      expect(tenant.status).toBe(400);
      expect(tenant.body.details[0].path).toBe('scope.tenantId');

      expect((await call('GET', '/api/workflows/po/extensions/broken', readA)).status).toBe(404);
      const unknown = await putExtension('nope', 'x', { operations: [] });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('workflow_not_found');
      expect((await call('GET', '/api/workflows/nope/extensions', readA)).body.code).toBe(
        'workflow_not_found',
      );
      expect((await call('GET', '/api/workflows/nope/extensions/x', readA)).body.code).toBe(
        'workflow_not_found',
      );
    });

    it('400 for a malformed compose query', async () => {
      expect((await compose('po', 'version=zero')).status).toBe(400);
      expect((await compose('po', 'role=')).status).toBe(400);
      expect((await compose('po', 'tenantId=globex')).status).toBe(400);
    });
  });

  describe('compatibility check and composition failures', () => {
    beforeAll(async () => {
      expect((await putVersion('po2', 1, purchaseOrder())).status).toBe(201);
      const exts: [string, unknown][] = [
        ['approve', { operations: approval({ after: 'submit', approverRole: 'buyer-lead' }) }],
        ['relabel', { operations: [{ type: 'setLabel', anchor: 'review', label: 'Review' }] }],
        [
          'no-cancel',
          { scope: { role: 'clerk' }, operations: [{ type: 'removeStep', anchor: 'cancelled' }] },
        ],
        [
          'pinned',
          {
            baseVersion: 1,
            scope: { device: 'kiosk' },
            operations: [{ type: 'setLabel', anchor: 'draft', label: 'Kiosk draft' }],
          },
        ],
      ];
      for (const [id, body] of exts) expect((await putExtension('po2', id, body)).status).toBe(201);
    });

    it('reports every extension a candidate base would break, and stores nothing', async () => {
      const res = await call('POST', '/api/workflows/po2/check', adminA, {
        ...purchaseOrderV2(),
        version: 2,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        workflowId: 'po2',
        baseVersion: 2,
        latestVersion: 1,
        compatible: false,
        baseErrors: [],
      });
      const byId = Object.fromEntries(
        res.body.extensions.map((e: { extensionId: string }) => [e.extensionId, e]),
      );
      expect(Object.keys(byId).sort()).toEqual(['approve', 'no-cancel', 'pinned', 'relabel']);
      expect(byId.relabel).toMatchObject({ compatible: true, issues: [] });
      expect(byId.approve.compatible).toBe(false);
      expect(byId.approve.issues[0]).toMatchObject({
        code: 'missing_anchor',
        anchor: 'submit',
        operationIndex: 0,
      });
      expect(byId['no-cancel'].issues[0].code).toBe('invalid_result');
      expect(byId['no-cancel'].issues[0].errors).toContainEqual(
        expect.objectContaining({ code: 'no_path_to_terminal', stepId: 'hold' }),
      );
      expect(byId['no-cancel'].issues[0].contexts).toContainEqual({ tenantId: 'acme', role: 'clerk' });
      expect(byId.pinned.issues.map((i: { code: string }) => i.code)).toEqual(['base_version_mismatch']);
      expect(res.body.breaking.map((e: { extensionId: string }) => e.extensionId).sort()).toEqual([
        'approve',
        'no-cancel',
        'pinned',
      ]);

      const fine = await call('POST', '/api/workflows/po2/check', adminA, { ...purchaseOrder(), version: 2 });
      expect(fine.body.compatible).toBe(false);
      expect(fine.body.breaking.map((e: { extensionId: string }) => e.extensionId)).toEqual(['pinned']);

      expect((await call('GET', '/api/workflows/po2', readA)).body.version).toBe(1);
    });

    it('checks a workflow with no stored version (nothing to break); 422 for an invalid candidate', async () => {
      const fresh = await call('POST', '/api/workflows/brand-new/check', adminA, {
        ...purchaseOrder(),
        version: 1,
      });
      expect(fresh.status).toBe(200);
      expect(fresh.body).toMatchObject({
        compatible: true,
        latestVersion: null,
        extensions: [],
        breaking: [],
      });

      const spec = purchaseOrder();
      spec.terminal = [];
      const invalid = await call('POST', '/api/workflows/po2/check', adminA, { ...spec, version: 2 });
      expect(invalid.status).toBe(422);
      expect(invalid.body.code).toBe('invalid_workflow');
      expect(invalid.body.details).toContainEqual(
        expect.objectContaining({ path: 'terminal', code: 'no_terminal' }),
      );
      const noVersion = await call('POST', '/api/workflows/po2/check', adminA, purchaseOrder());
      expect(noVersion.status).toBe(422);
      expect(noVersion.body.details[0].path).toBe('version');
    });

    it('after publishing the breaking version, compose answers 422 naming the extension and the anchor', async () => {
      expect((await putVersion('po2', 2, purchaseOrderV2())).status).toBe(201);

      const missing = await compose('po2');
      expect(missing.status).toBe(422);
      expect(missing.body).toMatchObject({ statusCode: 422, code: 'missing_anchor' });
      expect(missing.body.message).toContain('approve');
      expect(missing.body.details[0]).toMatchObject({
        path: 'extensions.approve.operations[0]',
        code: 'missing_anchor',
        extensionId: 'approve',
        anchor: 'submit',
        operationIndex: 0,
      });

      // the previous version still composes
      const v1 = await compose('po2', 'version=1');
      expect(v1.status).toBe(200);
      expect(v1.body.baseVersion).toBe(1);
      expect((await compose('po2', 'version=3')).body.code).toBe('workflow_version_not_found');

      // re-anchored on the new base, the approval fits again; the clerk's removal does not
      const fixed = await putExtension('po2', 'approve', {
        operations: approval({ after: 'send', approverRole: 'buyer-lead' }),
      });
      expect(fixed.status).toBe(200);
      expect((await compose('po2')).status).toBe(200);

      const invalid = await compose('po2', 'role=clerk');
      expect(invalid.status).toBe(422);
      expect(invalid.body.code).toBe('invalid_result');
      expect(invalid.body.details[0]).toMatchObject({ code: 'invalid_result', extensionId: 'no-cancel' });
      expect(invalid.body.details).toContainEqual(
        expect.objectContaining({ code: 'no_path_to_terminal', stepId: 'hold', extensionId: 'no-cancel' }),
      );

      const pinned = await compose('po2', 'device=kiosk');
      expect(pinned.status).toBe(422);
      expect(pinned.body.code).toBe('base_version_mismatch');
      expect(pinned.body.details[0].extensionId).toBe('pinned');
    });
  });

  describe('tenant isolation', () => {
    it("tenant B never sees or reads tenant A's workflows and extensions", async () => {
      const list = await call('GET', '/api/workflows', adminB);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      for (const path of [
        '/api/workflows/po',
        '/api/workflows/po/versions',
        '/api/workflows/po/versions/1',
        '/api/workflows/po/compose',
        '/api/workflows/po/compose?role=manager&device=mobile',
        '/api/workflows/po/extensions',
        '/api/workflows/po/extensions/acme-approval',
      ]) {
        const res = await call('GET', path, adminB);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'workflow_not_found']);
      }
    });

    it("tenant B can neither change nor delete tenant A's extensions, and its checks see none of them", async () => {
      const put = await putExtension('po', 'acme-approval', { operations: [] }, adminB);
      expect(put.status).toBe(404);
      const del = await call('DELETE', '/api/workflows/po/extensions/acme-approval', adminB);
      expect(del.status).toBe(404);
      const check = await call('POST', '/api/workflows/po/check', adminB, {
        ...purchaseOrderV2(),
        version: 2,
      });
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ compatible: true, latestVersion: null, extensions: [] });
      const a = await call('GET', '/api/workflows/po/extensions/acme-approval', readA);
      expect(a.status).toBe(200);
      expect(a.body.operations).toHaveLength(2);
    });

    it('tenant B publishes its own workflow under the same id without touching A', async () => {
      const spec = { ...purchaseOrder(), name: 'Globex PO' };
      expect((await putVersion('po', 1, spec, adminB)).status).toBe(201);
      expect((await putExtension('po', 'acme-approval', { operations: [] }, adminB)).status).toBe(201);
      const composed = await compose('po', 'role=manager&device=mobile', adminB);
      expect(composed.status).toBe(200);
      expect(composed.body.context.tenantId).toBe('globex');
      expect(composed.body.applied.map((x: { extensionId: string }) => x.extensionId)).toEqual([
        'acme-approval',
      ]);
      expect(edges(composed.body.workflow)).toEqual(edges(purchaseOrder()));

      expect((await call('GET', '/api/workflows/po', readA)).body.name).toBe('Purchase order');
      const aCompose = await compose('po', 'role=manager&device=mobile');
      expect(aCompose.body.applied).toHaveLength(4);
      const bList = await call('GET', '/api/workflows/po/extensions', adminB);
      expect(bList.body.items.map((e: { scope: { tenantId: string } }) => e.scope.tenantId)).toEqual([
        'globex',
      ]);
      const rows = await db.query(
        `select tenant_id, count(*)::int as n from workflow_extensions where workflow_id = 'po' group by tenant_id order by tenant_id`,
      );
      expect(rows.rows).toEqual([
        { tenant_id: 'acme', n: 4 },
        { tenant_id: 'globex', n: 1 },
      ]);
    });
  });

  describe('OpenAPI', () => {
    let doc: any;
    beforeAll(async () => {
      doc = (await call('GET', '/docs-json')).body;
    });
    const ref = (schema: any): string | undefined => schema?.$ref;
    const json = (content: any) => content?.['application/json']?.schema;

    it('documents every endpoint with its operation id, auth and error schemas', () => {
      const expected: [string, string, string, string[]][] = [
        ['get', '/api/workflows', 'listWorkflows', ['200']],
        ['get', '/api/workflows/{id}', 'getWorkflow', ['200', '400', '404']],
        ['get', '/api/workflows/{id}/versions', 'listWorkflowVersions', ['200', '404']],
        ['get', '/api/workflows/{id}/versions/{version}', 'getWorkflowVersion', ['200', '404']],
        ['put', '/api/workflows/{id}/versions/{version}', 'putWorkflowVersion', ['200', '201', '409', '422']],
        ['get', '/api/workflows/{id}/compose', 'composeWorkflow', ['200', '404', '422']],
        ['post', '/api/workflows/{id}/check', 'checkWorkflowCompatibility', ['200', '422']],
        ['get', '/api/workflows/{id}/extensions', 'listWorkflowExtensions', ['200', '404']],
        ['get', '/api/workflows/{id}/extensions/{extensionId}', 'getWorkflowExtension', ['200', '404']],
        [
          'put',
          '/api/workflows/{id}/extensions/{extensionId}',
          'putWorkflowExtension',
          ['200', '201', '409', '422'],
        ],
        [
          'delete',
          '/api/workflows/{id}/extensions/{extensionId}',
          'deleteWorkflowExtension',
          ['204', '404', '409'],
        ],
      ];
      for (const [method, path, operationId, statuses] of expected) {
        const op = doc.paths[path]?.[method];
        expect([path, method, op?.operationId]).toEqual([path, method, operationId]);
        expect(op.security).toEqual([{ apiKey: [] }]);
        for (const status of [...statuses, '401', '403'])
          expect([operationId, status, !!op.responses[status]]).toEqual([operationId, status, true]);
        for (const status of ['400', '401', '403', '404', '409', '422']) {
          if (!op.responses[status]) continue;
          expect(ref(json(op.responses[status].content))).toBe(
            '#/components/schemas/WorkflowErrorResponseDto',
          );
        }
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          const param = op.parameters.find((p: any) => `{${p.name}}` === name);
          expect([operationId, name, param?.in, param?.required]).toEqual([operationId, name, 'path', true]);
        }
      }
    });

    it('names the request and response schemas, operations as a discriminated union', () => {
      const p = doc.paths;
      expect(ref(json(p['/api/workflows/{id}/versions/{version}'].put.requestBody.content))).toBe(
        '#/components/schemas/PutWorkflowVersionDto',
      );
      expect(ref(json(p['/api/workflows/{id}/versions/{version}'].put.responses['201'].content))).toBe(
        '#/components/schemas/WorkflowVersionDto',
      );
      expect(ref(json(p['/api/workflows/{id}/check'].post.requestBody.content))).toBe(
        '#/components/schemas/WorkflowCandidateDto',
      );
      expect(ref(json(p['/api/workflows/{id}/check'].post.responses['200'].content))).toBe(
        '#/components/schemas/CompatibilityReportDto',
      );
      expect(ref(json(p['/api/workflows/{id}/compose'].get.responses['200'].content))).toBe(
        '#/components/schemas/ComposedWorkflowDto',
      );
      expect(ref(json(p['/api/workflows/{id}/extensions/{extensionId}'].put.requestBody.content))).toBe(
        '#/components/schemas/PutWorkflowExtensionDto',
      );
      const query = p['/api/workflows/{id}/compose'].get.parameters.filter((x: any) => x.in === 'query');
      expect(query.map((x: any) => x.name).sort()).toEqual(['device', 'role', 'version']);

      const schemas = doc.components.schemas;
      const ops = schemas.PutWorkflowExtensionDto.properties.operations;
      expect(ops.type).toBe('array');
      expect(ops.items.oneOf).toHaveLength(6);
      expect(ops.items.discriminator.propertyName).toBe('type');
      for (const target of Object.values(ops.items.discriminator.mapping) as string[]) {
        expect(schemas[target.replace('#/components/schemas/', '')]).toBeDefined();
      }
      expect(schemas.WorkflowErrorDetailDto.properties).toEqual(
        expect.objectContaining({ extensionId: expect.anything(), anchor: expect.anything() }),
      );
      expect(schemas.ComposedWorkflowDto.properties.provenance.additionalProperties.$ref).toBe(
        '#/components/schemas/StepProvenanceDto',
      );
      expect(schemas.StepProvenanceDto).toBeDefined();
      expect(schemas.PutWorkflowVersionDto.required).toEqual(
        expect.arrayContaining(['start', 'steps', 'terminal']),
      );
      expect(schemas.WorkflowCandidateDto.required).toEqual(expect.arrayContaining(['version', 'start']));
    });
  });
});
