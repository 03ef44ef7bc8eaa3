import { WorkflowComposer } from '../composer/workflow-composer.js';
import { edges, extension, reviewFlow, step, task, thrown, workflow } from '../testing/workflow.fixtures.js';

const compose = new WorkflowComposer();
const ctx = { tenantId: 't1' };
const replace = (
  anchor: string,
  s: { id: string; type: string; label: string; transitions?: { to: string; on?: string }[] },
) => extension('ext', [{ type: 'replaceStep', anchor, step: s }]);

describe('replaceStep', () => {
  it('with the same id edits the step in place and keeps its transitions', () => {
    const {
      workflow: wf,
      provenance,
      removed,
    } = compose.compose(
      reviewFlow(),
      [replace('submit', { id: 'submit', type: 'form', label: 'Submit form' })],
      ctx,
    );
    expect(wf.steps[1]).toEqual({
      id: 'submit',
      type: 'form',
      label: 'Submit form',
      transitions: [{ to: 'review' }],
    });
    expect(provenance.submit).toMatchObject({
      addedBy: null,
      changes: [{ kind: 'replaced', extensionId: 'ext' }],
    });
    expect(removed).toEqual([]);
  });

  it('with a new id on a branching middle step: takes incoming and outgoing transitions', () => {
    const {
      workflow: wf,
      provenance,
      removed,
    } = compose.compose(reviewFlow(), [replace('review', task('review2'))], ctx);
    expect(edges(wf)).toEqual({
      draft: ['submit'],
      submit: ['review2'],
      review2: ['done(approve)', 'rejected(reject)'],
      done: [],
      rejected: [],
    });
    expect(provenance.review2!.addedBy).toBe('ext');
    expect(provenance.review).toBeUndefined();
    expect(removed).toEqual([
      { stepId: 'review', extensionId: 'ext', operation: 'replaceStep', replacedBy: 'review2' },
    ]);
  });

  it('on the start step: the replacement becomes the start', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [replace('draft', task('intake'))], ctx);
    expect(wf.start).toBe('intake');
    expect(edges(wf).intake).toEqual(['submit']);
  });

  it('on a terminal step: the replacement is terminal in the same position', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [replace('done', task('closed'))], ctx);
    expect(wf.terminal).toEqual(['closed', 'rejected']);
    expect(edges(wf).review).toEqual(['closed(approve)', 'rejected(reject)']);
  });

  it('keeps a self-loop as a self-loop of the replacement', () => {
    const base = workflow('a', ['b'], [step('a', { to: 'a', on: 'retry' }, 'b'), step('b')]);
    const { workflow: wf } = compose.compose(base, [replace('a', task('a2'))], ctx);
    expect(edges(wf)).toEqual({ a2: ['a2(retry)', 'b'], b: [] });
  });

  it('uses declared transitions when the replacement has them', () => {
    const { workflow: wf } = compose.compose(
      reviewFlow(),
      [
        replace('review', {
          ...task('review'),
          transitions: [
            { to: 'done', on: 'ok' },
            { to: 'rejected', on: 'no' },
            { to: 'submit', on: 'rework' },
          ],
        }),
      ],
      ctx,
    );
    expect(edges(wf).review).toEqual(['done(ok)', 'rejected(no)', 'submit(rework)']);
  });

  it('fails with duplicate_step when the new id belongs to another step', () => {
    expect(thrown(() => compose.compose(reviewFlow(), [replace('review', task('done'))], ctx))).toMatchObject(
      {
        code: 'duplicate_step',
        stepId: 'done',
        extensionId: 'ext',
      },
    );
  });

  it('fails with missing_anchor', () => {
    expect(thrown(() => compose.compose(reviewFlow(), [replace('gone', task('x'))], ctx))).toMatchObject({
      code: 'missing_anchor',
      anchor: 'gone',
      extensionId: 'ext',
    });
  });
});
