import { WorkflowComposer } from '../composer/workflow-composer.js';
import { edges, extension, reviewFlow, task, thrown } from '../testing/workflow.fixtures.js';

const compose = new WorkflowComposer();
const ctx = { tenantId: 't1' };

describe('addTransition', () => {
  it('from a middle step, labelled', () => {
    const ext = extension('ext', [{ type: 'addTransition', from: 'review', to: 'submit', on: 'rework' }]);
    const { workflow: wf, provenance } = compose.compose(reviewFlow(), [ext], ctx);
    expect(edges(wf).review).toEqual(['done(approve)', 'rejected(reject)', 'submit(rework)']);
    expect(provenance.review!.changes).toEqual([
      {
        extensionId: 'ext',
        operation: 'addTransition',
        operationIndex: 0,
        kind: 'transition-added',
        detail: 'to "submit" on "rework"',
      },
    ]);
  });

  it('from a terminal step back to the start', () => {
    const ext = extension('ext', [{ type: 'addTransition', from: 'rejected', to: 'draft', on: 'restart' }]);
    const { workflow: wf } = compose.compose(reviewFlow(), [ext], ctx);
    expect(edges(wf).rejected).toEqual(['draft(restart)']);
    expect(wf.terminal).toEqual(['done', 'rejected']);
  });

  it('to a step inserted earlier in the same extension', () => {
    const ext = extension('ext', [
      { type: 'insertAfter', anchor: 'submit', step: task('triage') },
      { type: 'addTransition', from: 'triage', to: 'rejected', on: 'spam' },
    ]);
    expect(edges(compose.compose(reviewFlow(), [ext], ctx).workflow).triage).toEqual([
      'review',
      'rejected(spam)',
    ]);
  });

  it('is idempotent for an identical edge and records nothing', () => {
    const ext = extension('ext', [{ type: 'addTransition', from: 'review', to: 'done', on: 'approve' }]);
    const { workflow: wf, provenance } = compose.compose(reviewFlow(), [ext], ctx);
    expect(edges(wf).review).toEqual(['done(approve)', 'rejected(reject)']);
    expect(provenance.review!.changes).toEqual([]);
  });

  it('fails with missing_anchor naming whichever end is missing', () => {
    const missingFrom = extension('ext', [{ type: 'addTransition', from: 'nope', to: 'done' }]);
    const missingTo = extension('ext', [{ type: 'addTransition', from: 'review', to: 'gone' }]);
    expect(thrown(() => compose.compose(reviewFlow(), [missingFrom], ctx))).toMatchObject({
      code: 'missing_anchor',
      anchor: 'nope',
    });
    expect(thrown(() => compose.compose(reviewFlow(), [missingTo], ctx))).toMatchObject({
      code: 'missing_anchor',
      anchor: 'gone',
    });
  });
});
