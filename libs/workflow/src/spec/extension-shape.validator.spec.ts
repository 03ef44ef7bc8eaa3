import { extension, task } from '../testing/workflow.fixtures.js';
import { validateExtensionShape } from './extension-shape.validator.js';

describe('validateExtensionShape', () => {
  it('accepts every operation kind, with inserted steps lacking transitions', () => {
    const ext = extension('e1', [
      { type: 'insertBefore', anchor: 'a', step: task('x') },
      { type: 'insertAfter', anchor: 'a', step: { ...task('y'), transitions: [{ to: 'a' }] } },
      { type: 'replaceStep', anchor: 'a', step: task('z') },
      { type: 'removeStep', anchor: 'b' },
      { type: 'addTransition', from: 'a', to: 'b', on: 'go' },
      { type: 'setLabel', anchor: 'a', label: 'A' },
    ]);
    expect(validateExtensionShape(ext)).toEqual({ valid: true, errors: [] });
  });

  it('names bad fields by path', () => {
    const result = validateExtensionShape({
      extensionId: '',
      workflowId: 'order',
      baseVersion: -1,
      priority: Number.NaN,
      scope: { tenantId: 't1', role: '' },
      operations: [
        { type: 'explode', anchor: 'a' },
        { type: 'insertAfter', anchor: '', step: { id: 'x', type: 'task' } },
        { type: 'setLabel', anchor: 'a', label: '' },
        { type: 'addTransition', from: 'a' },
      ],
    });
    expect(result.errors.map((e) => e.path)).toEqual([
      'extensionId',
      'baseVersion',
      'priority',
      'scope.role',
      'operations[0].type',
      'operations[1].anchor',
      'operations[1].step.label',
      'operations[2].label',
      'operations[3].to',
    ]);
  });

  it('requires a scope with a tenant', () => {
    expect(validateExtensionShape({ extensionId: 'e', workflowId: 'w', operations: [] }).errors).toEqual([
      expect.objectContaining({ path: 'scope' }),
    ]);
    expect(
      validateExtensionShape({ extensionId: 'e', workflowId: 'w', scope: {}, operations: [] }).errors,
    ).toEqual([expect.objectContaining({ path: 'scope.tenantId' })]);
  });
});
