import { WorkflowComposer } from '../composer/workflow-composer.js';
import { deepFreeze, extension, reviewFlow, task, thrown } from '../testing/workflow.fixtures.js';
import { approval } from './approval.template.js';
import { mergeExtensions } from './merge-extensions.js';
import { notification } from './notification.template.js';

const tenant = extension('tenant', approval({ after: 'submit', approverRole: 'manager' }));
const role = extension('role', [{ type: 'setLabel', anchor: 'approval', label: 'Manager approval' }], {
  role: 'manager',
});
const device = extension(
  'device',
  notification({ after: 'done', id: 'push', channel: 'push', template: 'approved' }),
  { device: 'mobile' },
  { priority: 5 },
);

describe('mergeExtensions', () => {
  it('takes the most specific scope and concatenates operations in composer order', () => {
    const merged = mergeExtensions([device, role, tenant], { extensionId: 'merged' });
    expect(merged.scope).toEqual({ tenantId: 't1', role: 'manager', device: 'mobile' });
    expect(merged.workflowId).toBe('order');
    expect(merged.priority).toBe(0);
    expect(merged.description).toBe('merged from tenant, role, device');
    expect(merged.operations.map((o) => o.type)).toEqual(['insertAfter', 'setLabel', 'insertAfter']);
    expect(merged.operations).toEqual([...tenant.operations, ...role.operations, ...device.operations]);
  });

  it('composes to the same workflow as the inputs applied one by one', () => {
    const ctx = { tenantId: 't1', role: 'manager', device: 'mobile' };
    const composer = new WorkflowComposer();
    const oneByOne = composer.compose(reviewFlow(), [tenant, role, device], ctx);
    const merged = composer.compose(
      reviewFlow(),
      [mergeExtensions([tenant, role, device], { extensionId: 'm' })],
      ctx,
    );
    expect(merged.workflow).toEqual(oneByOne.workflow);
    expect(merged.applied.map((a) => a.extensionId)).toEqual(['m']);
    expect(merged.provenance.approval!.addedBy).toBe('m');
  });

  it('only applies where all inputs would', () => {
    const merged = mergeExtensions([tenant, role], { extensionId: 'm' });
    const composer = new WorkflowComposer();
    expect(composer.compose(reviewFlow(), [merged], { tenantId: 't1' }).applied).toEqual([]);
    expect(
      composer.compose(reviewFlow(), [merged], { tenantId: 't1', role: 'manager' }).applied,
    ).toHaveLength(1);
  });

  it('carries an agreed baseVersion and a given priority', () => {
    const pinned = { ...tenant, baseVersion: 3 };
    expect(mergeExtensions([pinned, role], { extensionId: 'm', priority: 7 })).toMatchObject({
      baseVersion: 3,
      priority: 7,
    });
  });

  it.each([
    ['tenants', [tenant, extension('x', [], { tenantId: 't2' })], 'scope.tenantId'],
    ['roles', [role, extension('x', [], { role: 'clerk' })], 'scope.role'],
    ['devices', [device, extension('x', [], { device: 'desktop' })], 'scope.device'],
    ['workflows', [tenant, { ...role, workflowId: 'invoice' }], 'workflowId'],
    [
      'base versions',
      [
        { ...tenant, baseVersion: 1 },
        { ...role, baseVersion: 2 },
      ],
      'baseVersion',
    ],
  ])('refuses inputs that disagree on %s', (_what, inputs, field) => {
    const error = thrown(() => mergeExtensions(inputs, { extensionId: 'm' }));
    expect(error).toMatchObject({ code: 'incompatible_merge', extensionId: 'm' });
    expect(error.message).toContain(field);
  });

  it('refuses an empty list', () => {
    expect(thrown(() => mergeExtensions([], { extensionId: 'm' }))).toMatchObject({
      code: 'incompatible_merge',
    });
  });

  it('copies the operations instead of sharing them', () => {
    const frozen = deepFreeze(
      extension('f', [{ type: 'insertAfter', anchor: 'submit', step: { ...task('x'), config: { a: 1 } } }]),
    );
    const merged = mergeExtensions([frozen], { extensionId: 'm' });
    expect(merged.operations[0]).toEqual(frozen.operations[0]);
    expect(merged.operations[0]).not.toBe(frozen.operations[0]);
    expect(Object.isFrozen(merged.operations[0])).toBe(false);
  });
});
