import { WorkflowComposer } from '../composer/workflow-composer.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import {
  edges,
  extension,
  linearFlow,
  reviewFlow,
  step,
  thrown,
  workflow,
} from '../testing/workflow.fixtures.js';

const compose = new WorkflowComposer();
const ctx = { tenantId: 't1' };
const remove = (anchor: string) => extension('ext', [{ type: 'removeStep', anchor }]);

describe('removeStep', () => {
  it('on a middle step: joins its predecessor to its successor', () => {
    const { workflow: wf, removed, provenance } = compose.compose(reviewFlow(), [remove('submit')], ctx);
    expect(edges(wf).draft).toEqual(['review']);
    expect(wf.steps.map((s) => s.id)).not.toContain('submit');
    expect(removed).toEqual([{ stepId: 'submit', extensionId: 'ext', operation: 'removeStep' }]);
    expect(provenance.draft!.changes).toEqual([
      expect.objectContaining({
        kind: 'rewired',
        extensionId: 'ext',
        operation: 'removeStep',
        operationIndex: 0,
      }),
    ]);
  });

  it('on a branching step: an unlabelled predecessor edge takes the successors’ labels', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [remove('review')], ctx);
    expect(edges(wf).submit).toEqual(['done(approve)', 'rejected(reject)']);
    expect(validateWorkflow(wf).valid).toBe(true);
  });

  it('keeps the predecessor edge’s label over the successor’s', () => {
    const base = workflow(
      'a',
      ['c', 'd'],
      [
        step('a', { to: 'b', on: 'go' }),
        step('b', { to: 'c', on: 'x' }, { to: 'd', on: 'y' }),
        step('c'),
        step('d'),
      ],
    );
    const { workflow: wf } = compose.compose(base, [remove('b')], ctx);
    expect(edges(wf).a).toEqual(['c(go)', 'd(go)']);
  });

  it('joins every predecessor to every successor', () => {
    const base = workflow(
      'a',
      ['e1', 'e2'],
      [
        step('a', 'p1', { to: 'p2', on: 'alt' }),
        step('p1', 'm'),
        step('p2', { to: 'm', on: 'z' }),
        step('m', { to: 'e1', on: 'x' }, 'e2'),
        step('e1'),
        step('e2'),
      ],
    );
    const { workflow: wf } = compose.compose(base, [remove('m')], ctx);
    expect(edges(wf).p1).toEqual(['e1(x)', 'e2']);
    expect(edges(wf).p2).toEqual(['e1(z)', 'e2(z)']);
  });

  it('deduplicates a joined edge that already exists', () => {
    const base = workflow('a', ['c'], [step('a', 'b', 'c'), step('b', 'c'), step('c')]);
    const { workflow: wf } = compose.compose(base, [remove('b')], ctx);
    expect(edges(wf).a).toEqual(['c']);
  });

  it('drops the removed step’s self-loop and keeps back edges as loops', () => {
    const base = workflow(
      'a',
      ['done'],
      [
        step('a', 'review'),
        step('review', { to: 'fix', on: 'reject' }, 'done'),
        step('fix', { to: 'fix', on: 'again' }, 'review'),
        step('done'),
      ],
    );
    const { workflow: wf } = compose.compose(base, [remove('fix')], ctx);
    expect(edges(wf).review).toEqual(['review(reject)', 'done']);
  });

  it('on the start step: its single successor becomes the start', () => {
    const { workflow: wf, provenance } = compose.compose(reviewFlow(), [remove('draft')], ctx);
    expect(wf.start).toBe('submit');
    expect(provenance.submit!.changes.map((c) => c.kind)).toEqual(['became-start']);
  });

  it('on the start step with a self-loop and one successor: the successor becomes the start', () => {
    const base = workflow('a', ['b'], [step('a', 'a', 'b'), step('b')]);
    expect(compose.compose(base, [remove('a')], ctx).workflow.start).toBe('b');
  });

  it('on a start step with two successors: fails with ambiguous_start', () => {
    const base = workflow('a', ['b', 'c'], [step('a', 'b', 'c'), step('b'), step('c')]);
    expect(thrown(() => compose.compose(base, [remove('a')], ctx))).toMatchObject({
      code: 'ambiguous_start',
      extensionId: 'ext',
      anchor: 'a',
    });
  });

  it('on one of two terminals: drops the branch into it, the other terminal stays', () => {
    const { workflow: wf } = compose.compose(reviewFlow(), [remove('rejected')], ctx);
    expect(edges(wf).review).toEqual(['done(approve)']);
    expect(wf.terminal).toEqual(['done']);
  });

  it('on the last step of a line: its predecessor becomes terminal', () => {
    const { workflow: wf, provenance } = compose.compose(linearFlow(3), [remove('s3')], ctx);
    expect(wf.terminal).toEqual(['s2']);
    expect(edges(wf).s2).toEqual([]);
    expect(provenance.s2!.changes.map((c) => c.kind)).toEqual(['rewired', 'became-terminal']);
    expect(validateWorkflow(wf).valid).toBe(true);
  });

  it('on a terminal whose predecessor only loops back otherwise: fails naming the extension', () => {
    const base = workflow('a', ['x'], [step('a', 'p'), step('p', 'q', 'x'), step('q', 'p'), step('x')]);
    const error = thrown(() => compose.compose(base, [remove('x')], ctx));
    expect(error).toMatchObject({ code: 'invalid_result', extensionId: 'ext' });
    expect(error.errors.map((e: { code: string }) => e.code)).toEqual(['no_terminal']);
  });

  it('fails with missing_anchor', () => {
    expect(thrown(() => compose.compose(reviewFlow(), [remove('ghost')], ctx))).toMatchObject({
      code: 'missing_anchor',
      anchor: 'ghost',
      extensionId: 'ext',
      operation: 'removeStep',
    });
  });
});
