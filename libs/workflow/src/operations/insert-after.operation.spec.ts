import { WorkflowComposer } from '../composer/workflow-composer.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { edges, extension, reviewFlow, step, task, thrown, workflow } from '../testing/workflow.fixtures.js';

const compose = new WorkflowComposer();
const ctx = { tenantId: 't1' };
const after = (anchor: string, id: string, transitions?: { to: string; on?: string }[]) =>
  extension('ext', [
    { type: 'insertAfter', anchor, step: transitions ? { ...task(id), transitions } : task(id) },
  ]);

describe('insertAfter', () => {
  it('on a middle step: anchor → new → the anchor’s old target', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [after('submit', 'check')], ctx);
    expect(edges(wf)).toEqual({
      draft: ['submit'],
      submit: ['check'],
      check: ['review'],
      review: ['done(approve)', 'rejected(reject)'],
      done: [],
      rejected: [],
    });
    expect(wf.steps.map((s) => s.id)).toEqual(['draft', 'submit', 'check', 'review', 'done', 'rejected']);
  });

  it('on a branching step: the new step takes over every labelled outgoing transition', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [after('review', 'audit')], ctx);
    expect(edges(wf).review).toEqual(['audit']);
    expect(edges(wf).audit).toEqual(['done(approve)', 'rejected(reject)']);
    expect(validateWorkflow(wf).valid).toBe(true);
  });

  it('on the start step: start is unchanged, the new step follows it', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [after('draft', 'intake')], ctx);
    expect(wf.start).toBe('draft');
    expect(edges(wf).draft).toEqual(['intake']);
    expect(edges(wf).intake).toEqual(['submit']);
  });

  it('on a terminal step: the new step becomes the terminal in its place', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [after('done', 'notify')], ctx);
    expect(edges(wf).done).toEqual(['notify']);
    expect(edges(wf).notify).toEqual([]);
    expect(wf.terminal).toEqual(['notify', 'rejected']);
    expect(validateWorkflow(wf).valid).toBe(true);
  });

  it('routes a self-loop of the anchor through the new step', () => {
    const base = workflow('a', ['b'], [step('a', { to: 'a', on: 'retry' }, 'b'), step('b')]);
    const { workflow: wf } = compose.compose(base, [after('a', 'n')], ctx);
    expect(edges(wf)).toEqual({ a: ['n'], n: ['a(retry)', 'b'], b: [] });
  });

  it('uses the transitions the inserted step declares instead of inheriting', () => {
    const base = reviewFlow();
    const { workflow: wf } = compose.compose(
      base,
      [
        extension('ext', [
          {
            type: 'insertAfter',
            anchor: 'submit',
            step: {
              ...task('triage'),
              transitions: [
                { to: 'review', on: 'ok' },
                { to: 'rejected', on: 'spam' },
              ],
            },
          },
        ]),
      ],
      ctx,
    );
    expect(edges(wf).submit).toEqual(['triage']);
    expect(edges(wf).triage).toEqual(['review(ok)', 'rejected(spam)']);
  });

  it('fails with duplicate_step when the new id already exists', () => {
    const error = thrown(() => compose.compose(reviewFlow(), [after('submit', 'review')], ctx));
    expect(error).toMatchObject({
      code: 'duplicate_step',
      extensionId: 'ext',
      stepId: 'review',
      anchor: 'submit',
    });
  });

  it('fails with missing_anchor naming the extension and the anchor', () => {
    const error = thrown(() => compose.compose(reviewFlow(), [after('approve', 'x')], ctx));
    expect(error).toMatchObject({
      name: 'WorkflowCompositionError',
      code: 'missing_anchor',
      extensionId: 'ext',
      anchor: 'approve',
    });
    expect(error.message).toContain('"ext"');
    expect(error.message).toContain('"approve"');
  });
});
