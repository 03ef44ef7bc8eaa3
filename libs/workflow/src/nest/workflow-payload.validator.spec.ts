import { reviewFlow } from '../testing/workflow.fixtures.js';
import { checkExtensionPayload, checkWorkflowPayload } from './workflow-payload.validator.js';

describe('workflow payload checks', () => {
  it('passes a valid workflow', () => {
    expect(checkWorkflowPayload(reviewFlow())).toEqual([]);
  });

  it('points graph errors at the step, and refuses properties the composer would drop', () => {
    const spec = reviewFlow() as any;
    spec.steps[1] = { ...spec.steps[1], transitions: [{ to: 'nowhere', label: 'x' }], description: 'd' };
    expect(checkWorkflowPayload(spec)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'steps[1].transitions',
          code: 'unknown_transition_target',
          stepId: 'submit',
        }),
        expect.objectContaining({ path: 'steps[1].description', code: 'unknown_property' }),
        expect.objectContaining({ path: 'steps[1].transitions[0].label', code: 'unknown_property' }),
      ]),
    );
  });

  it('names start and terminal problems by their field', () => {
    const spec = { ...reviewFlow(), start: 'nope', terminal: ['done', 'ghost'] };
    const paths = checkWorkflowPayload(spec).map((d) => [d.path, d.code]);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['start', 'unknown_start'],
        ['terminal[1]', 'unknown_terminal'],
      ]),
    );
  });

  it('checks extension operations, their steps and their properties', () => {
    const details = checkExtensionPayload({
      extensionId: 'e',
      workflowId: 'order',
      scope: { tenantId: 't1' },
      operations: [
        { type: 'insertAfter', anchor: 'submit', step: { id: 's', type: 'task', label: 'S', colour: 'red' } },
        { type: 'setLabel', anchor: 'review', label: 'R', step: {} },
        { type: 'teleport' },
      ],
    });
    expect(details.map((d) => [d.path, d.code])).toEqual([
      ['operations[2].type', 'invalid_shape'],
      ['operations[0].step.colour', 'unknown_property'],
      ['operations[1].step', 'unknown_property'],
    ]);
  });
});
