import { WorkflowComposer } from '../composer/workflow-composer.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { edges, extension, reviewFlow, step, task, thrown, workflow } from '../testing/workflow.fixtures.js';

const compose = new WorkflowComposer();
const ctx = { tenantId: 't1' };
const before = (anchor: string, id: string) =>
  extension('ext', [{ type: 'insertBefore', anchor, step: task(id) }]);

describe('insertBefore', () => {
  it('on a middle step: predecessor → new → anchor', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [before('review', 'precheck')], ctx);
    expect(edges(wf).submit).toEqual(['precheck']);
    expect(edges(wf).precheck).toEqual(['review']);
    expect(wf.steps.map((s) => s.id)).toEqual(['draft', 'submit', 'precheck', 'review', 'done', 'rejected']);
  });

  it('re-points every transition into the anchor, keeping their labels', () => {
    const base = workflow('a', ['c'], [step('a', 'b', { to: 'c', on: 'skip' }), step('b', 'c'), step('c')]);
    const { workflow: wf } = compose.compose(base, [before('c', 'n')], ctx);
    expect(edges(wf)).toEqual({ a: ['b', 'n(skip)'], b: ['n'], n: ['c'], c: [] });
  });

  it('on the start step: the new step becomes the start', () => {
    const { workflow: wf, provenance } = compose.compose(reviewFlow(), [before('draft', 'intake')], ctx);
    expect(wf.start).toBe('intake');
    expect(edges(wf).intake).toEqual(['draft']);
    expect(provenance.intake!.changes.map((c) => c.kind)).toEqual(['inserted', 'became-start']);
    expect(validateWorkflow(wf).valid).toBe(true);
  });

  it('on a terminal step: labelled branch now enters the new step, the terminal stays', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [before('done', 'archive')], ctx);
    expect(edges(wf).review).toEqual(['archive(approve)', 'rejected(reject)']);
    expect(edges(wf).archive).toEqual(['done']);
    expect(wf.terminal).toEqual(['done', 'rejected']);
  });

  it('routes a self-loop on the anchor through the new step', () => {
    const base = workflow('a', ['b'], [step('a', { to: 'a', on: 'retry' }, 'b'), step('b')]);
    const { workflow: wf } = compose.compose(base, [before('a', 'n')], ctx);
    expect(wf.start).toBe('n');
    expect(edges(wf)).toEqual({ n: ['a'], a: ['n(retry)', 'b'], b: [] });
  });

  it('fails with missing_anchor naming the extension and the anchor', () => {
    expect(thrown(() => compose.compose(reviewFlow(), [before('nowhere', 'x')], ctx))).toMatchObject({
      code: 'missing_anchor',
      extensionId: 'ext',
      anchor: 'nowhere',
      operation: 'insertBefore',
      operationIndex: 0,
    });
  });
});
