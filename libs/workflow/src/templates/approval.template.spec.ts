import { WorkflowComposer } from '../composer/workflow-composer.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { edges, extension, reviewFlow, thrown } from '../testing/workflow.fixtures.js';
import { approval } from './approval.template.js';

const composer = new WorkflowComposer();
const compose = (ops: ReturnType<typeof approval>) =>
  composer.compose(reviewFlow(), [extension('approval-ext', ops)], { tenantId: 't1' }).workflow;

const levels = [
  { approverRole: 'manager' },
  { approverRole: 'director', minAmount: 10_000 },
  { approverRole: 'cfo', minAmount: 50_000 },
];

describe('approval template', () => {
  it('single level: one approval step wired in after its anchor', () => {
    const ops = approval({ after: 'submit', approverRole: 'manager', rejectTo: 'draft' });
    expect(ops).toEqual([
      {
        type: 'insertAfter',
        anchor: 'submit',
        step: {
          id: 'approval',
          type: 'approval',
          label: 'Approval',
          config: { amountField: 'amount', approverRole: 'manager', level: 1, minAmount: 0 },
        },
      },
      { type: 'addTransition', from: 'approval', to: 'draft', on: 'rejected' },
    ]);
    const wf = compose(ops);
    expect(edges(wf).submit).toEqual(['approval']);
    expect(edges(wf).approval).toEqual(['review', 'draft(rejected)']);
  });

  it('multi-level: threshold branches from each level to the next or to the gateway', () => {
    const wf = compose(approval({ after: 'submit', levels, currency: 'EUR' }));
    expect(validateWorkflow(wf).valid).toBe(true);
    expect(wf.steps.map((s) => s.id)).toEqual([
      'draft',
      'submit',
      'approval-l1',
      'approval-l2',
      'approval-l3',
      'approval-approved',
      'review',
      'done',
      'rejected',
    ]);
    const e = edges(wf);
    expect(e.submit).toEqual(['approval-l1']);
    expect(e['approval-l1']).toEqual([
      'approval-l2(approved:amount>=10000)',
      'approval-approved(approved:amount<10000)',
    ]);
    expect(e['approval-l2']).toEqual([
      'approval-l3(approved:amount>=50000)',
      'approval-approved(approved:amount<50000)',
    ]);
    expect(e['approval-l3']).toEqual(['approval-approved(approved)']);
    expect(e['approval-approved']).toEqual(['review']);
    expect(wf.steps.find((s) => s.id === 'approval-l2')!.config).toEqual({
      amountField: 'amount',
      currency: 'EUR',
      approverRole: 'director',
      level: 2,
      minAmount: 10_000,
    });
  });

  it('multi-level before an anchor, with a reject path from every level', () => {
    const wf = compose(
      approval({ before: 'review', id: 'po', levels: levels.slice(0, 2), rejectTo: 'rejected' }),
    );
    const e = edges(wf);
    expect(e.submit).toEqual(['po-l1']);
    expect(e['po-l1']).toEqual([
      'po-l2(approved:amount>=10000)',
      'po-approved(approved:amount<10000)',
      'rejected(rejected)',
    ]);
    expect(e['po-l2']).toEqual(['po-approved(approved)', 'rejected(rejected)']);
    expect(e['po-approved']).toEqual(['review']);
  });

  it('multi-level replacing a branching step: the gateway keeps its outcomes', () => {
    const wf = compose(approval({ replace: 'review', levels: levels.slice(0, 2) }));
    const e = edges(wf);
    expect(e.submit).toEqual(['approval-l1']);
    expect(e['approval-approved']).toEqual(['done(approve)', 'rejected(reject)']);
    expect(wf.steps.map((s) => s.id)).not.toContain('review');
  });

  it.each([
    [{ after: 'x' }, 'either approverRole'],
    [{ after: 'x', approverRole: 'm', levels }, 'either approverRole'],
    [{ after: 'x', levels: [] }, 'must not be empty'],
    [{ after: 'x', levels: [{ approverRole: 'a' }, { approverRole: 'b' }] }, 'levels[1].minAmount'],
    [
      {
        after: 'x',
        levels: [
          { approverRole: 'a', minAmount: 5 },
          { approverRole: 'b', minAmount: 5 },
        ],
      },
      'above the previous',
    ],
    [{ after: 'x', levels: [{ approverRole: 'a', minAmount: -1 }] }, 'non-negative'],
    [{ after: 'x', before: 'y', approverRole: 'm' }, 'exactly one'],
  ])('rejects %j', (options, message) => {
    const error = thrown(() => approval(options as never));
    expect(error).toMatchObject({ name: 'WorkflowTemplateError', code: 'invalid_template_options' });
    expect(error.message).toContain(message);
  });
});
