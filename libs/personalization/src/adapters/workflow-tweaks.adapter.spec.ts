import {
  WorkflowComposer,
  validateWorkflow,
  type CompositionContext,
  type WorkflowExtension,
  type WorkflowSpec,
} from '@lssm/workflow';
import type { BehaviorInsights, WorkflowBottleneck } from '../analysis/behavior-insights.js';
import { insightsToWorkflowTweaks } from './workflow-tweaks.adapter.js';

const composer = new WorkflowComposer();
const CTX: CompositionContext = { tenantId: 'acme' };

/** draft → review; review approves to done or rejects back to draft. */
function invoiceApproval(extra: WorkflowSpec['steps'] = []): WorkflowSpec {
  return {
    id: 'invoice-approval',
    version: 1,
    start: 'draft',
    steps: [
      { id: 'draft', type: 'task', label: 'Draft', transitions: [{ to: 'review' }] },
      {
        id: 'review',
        type: 'review',
        label: 'Review',
        transitions: [
          { to: 'done', on: 'approve' },
          { to: 'draft', on: 'reject' },
        ],
      },
      { id: 'done', type: 'end', label: 'Done', transitions: [] },
      ...extra,
    ],
    terminal: ['done'],
  };
}

const bottleneck = (step: string, dropRate: number, workflow = 'invoice-approval'): WorkflowBottleneck => {
  const entered = 20;
  const completed = Math.round(entered * (1 - dropRate));
  return { workflow, step, dropRate, entered, completed };
};

function insights(
  bottlenecks: WorkflowBottleneck[],
  scope: BehaviorInsights['scope'] = { tenantId: 'acme' },
): BehaviorInsights {
  return {
    scope,
    window: {
      since: '2026-03-01T12:00:00.000Z',
      until: '2026-03-08T12:00:00.000Z',
      windowMs: 7 * 86_400_000,
    },
    unusedFields: [],
    suggestedHiddenFields: [],
    frequentlyUsedFields: [],
    workflowBottlenecks: bottlenecks,
    layoutPreference: null,
    layoutUsage: { table: 0, cards: 0, list: 0 },
  };
}

/** Composes and validates, as the service will before storing a tweak. */
function compose(
  base: WorkflowSpec,
  extensions: WorkflowExtension[],
  ctx: CompositionContext = CTX,
): WorkflowSpec {
  const { workflow, applied } = composer.compose(base, extensions, ctx);
  expect(validateWorkflow(workflow)).toEqual({ valid: true, errors: [] });
  expect(applied.map((a) => a.extensionId).sort()).toEqual(extensions.map((e) => e.extensionId).sort());
  return workflow;
}

const edges = (wf: WorkflowSpec) =>
  Object.fromEntries(
    wf.steps.map((s) => [s.id, s.transitions.map((t) => (t.on ? `${t.to}(${t.on})` : t.to))]),
  );

describe('insightsToWorkflowTweaks', () => {
  const workflows = { 'invoice-approval': invoiceApproval() };

  it('puts a reminder right before a bottleneck step, keeping its outcomes', () => {
    const [ext, ...rest] = insightsToWorkflowTweaks(insights([bottleneck('review', 0.6)]), {
      tenantId: 'acme',
      workflows,
    });
    expect(rest).toEqual([]);
    expect(ext).toMatchObject({
      extensionId: 'personalization.invoice-approval.review',
      workflowId: 'invoice-approval',
      baseVersion: 1,
      scope: { tenantId: 'acme' },
      operations: [
        {
          type: 'insertBefore',
          anchor: 'review',
          step: {
            id: 'review-reminder',
            type: 'notification',
            label: 'Reminder: Review',
            config: { channel: 'in-app', template: 'personalization.step-reminder', remindsOf: 'review' },
          },
        },
      ],
    });

    const wf = compose(invoiceApproval(), [ext!]);
    expect(edges(wf)).toEqual({
      draft: ['review-reminder'],
      'review-reminder': ['review'],
      review: ['done(approve)', 'draft(reject)'],
      done: [],
    });
  });

  it('adds an assisted review before the reminder from a drop rate of 0.8', () => {
    const [ext] = insightsToWorkflowTweaks(insights([bottleneck('review', 0.8)]), {
      tenantId: 'acme',
      workflows,
    });
    expect(ext!.operations.map((op) => 'step' in op && op.step)).toMatchObject([
      {
        id: 'review-assist',
        type: 'review',
        config: { reviewerRole: 'tenant-admin', scope: 'tenant', assists: 'review' },
      },
      { id: 'review-reminder', type: 'notification' },
    ]);
    const wf = compose(invoiceApproval(), [ext!]);
    expect(edges(wf)).toMatchObject({
      draft: ['review-assist'],
      'review-assist': ['review-reminder'],
      'review-reminder': ['review'],
      review: ['done(approve)', 'draft(reject)'],
    });
  });

  it('takes the assistance threshold, channel, template and reviewer role as options', () => {
    const [ext] = insightsToWorkflowTweaks(insights([bottleneck('review', 0.6)]), {
      tenantId: 'acme',
      workflows,
      assistanceDropRateThreshold: 0.5,
      reminderChannel: 'email',
      reminderTemplate: 'acme.nudge',
      reviewerRole: 'team-lead',
      extensionIdPrefix: 'suggested/',
    });
    expect(ext).toMatchObject({
      extensionId: 'suggested/invoice-approval.review',
      operations: [
        { step: { id: 'review-assist', config: { reviewerRole: 'team-lead' } } },
        { step: { id: 'review-reminder', config: { channel: 'email', template: 'acme.nudge' } } },
      ],
    });
    expect(() =>
      insightsToWorkflowTweaks(insights([]), {
        tenantId: 'acme',
        workflows,
        assistanceDropRateThreshold: 1.5,
      }),
    ).toThrow(RangeError);
  });

  it('makes the reminder the start when the start step is the bottleneck', () => {
    const [ext] = insightsToWorkflowTweaks(insights([bottleneck('draft', 0.5)]), {
      tenantId: 'acme',
      workflows,
    });
    const wf = compose(invoiceApproval(), [ext!]);
    expect(wf.start).toBe('draft-reminder');
    // The reject loop re-enters through the reminder too: a returned draft is a new chance to drop out.
    expect(edges(wf).review).toEqual(['done(approve)', 'draft-reminder(reject)']);
  });

  it('skips bottlenecks of workflows not given, steps not in the base and terminal steps', () => {
    const tweaks = insightsToWorkflowTweaks(
      insights([
        bottleneck('review', 0.9, 'expense-claim'),
        bottleneck('triage', 0.9),
        bottleneck('done', 1),
        bottleneck('review', 0.9, 'constructor'),
        bottleneck('review', 0.6),
      ]),
      { tenantId: 'acme', workflows },
    );
    expect(tweaks.map((t) => t.extensionId)).toEqual(['personalization.invoice-approval.review']);
  });

  it('gives tweaks of one workflow distinct step ids so they compose together', () => {
    const existing = invoiceApproval([
      { id: 'review-reminder', type: 'task', label: 'Existing', transitions: [{ to: 'done' }] },
    ]);
    const base: WorkflowSpec = {
      ...existing,
      steps: existing.steps.map((s) =>
        s.id === 'draft'
          ? { ...s, transitions: [{ to: 'review' }, { to: 'review-reminder', on: 'skip' }] }
          : s,
      ),
    };
    const tweaks = insightsToWorkflowTweaks(insights([bottleneck('review', 0.9), bottleneck('draft', 0.9)]), {
      tenantId: 'acme',
      workflows: { 'invoice-approval': base },
    });
    expect(tweaks.flatMap((t) => t.operations.map((op) => 'step' in op && op.step.id))).toEqual([
      'review-assist',
      'review-reminder-2',
      'draft-assist',
      'draft-reminder',
    ]);
    compose(base, tweaks);
  });

  it('uses the spec id when the tracked workflow name maps to a spec of another id', () => {
    const [ext] = insightsToWorkflowTweaks(insights([bottleneck('review', 0.6, 'invoices')]), {
      tenantId: 'acme',
      workflows: { invoices: invoiceApproval() },
    });
    expect(ext).toMatchObject({
      workflowId: 'invoice-approval',
      extensionId: 'personalization.invoice-approval.review',
    });
    compose(invoiceApproval(), [ext!]);
  });

  describe('scope', () => {
    it('takes the role of per-role insights, so other roles keep the base workflow', () => {
      const [ext] = insightsToWorkflowTweaks(
        insights([bottleneck('review', 0.6)], { tenantId: 'acme', role: 'clerk' }),
        {
          tenantId: 'acme',
          workflows,
        },
      );
      expect(ext).toMatchObject({
        scope: { tenantId: 'acme', role: 'clerk' },
        extensionId: 'personalization.invoice-approval.review.role-clerk',
      });
      expect(edges(compose(invoiceApproval(), [ext!], { tenantId: 'acme', role: 'clerk' })).draft).toEqual([
        'review-reminder',
      ]);
      const other = composer.compose(invoiceApproval(), [ext!], { tenantId: 'acme', role: 'manager' });
      expect(other.applied).toEqual([]);
      expect(other.workflow).toEqual(invoiceApproval());
    });

    it('lets role and device be given, and a role tweak compose next to a tenant-wide one', () => {
      const b = [bottleneck('review', 0.6)];
      const [scoped] = insightsToWorkflowTweaks(insights(b), {
        tenantId: 'acme',
        workflows,
        role: 'clerk',
        device: 'ios',
      });
      const [tenantWide] = insightsToWorkflowTweaks(insights([bottleneck('draft', 0.6)]), {
        tenantId: 'acme',
        workflows,
      });
      expect(scoped).toMatchObject({
        scope: { tenantId: 'acme', role: 'clerk', device: 'ios' },
        extensionId: 'personalization.invoice-approval.review.role-clerk.device-ios',
      });
      compose(invoiceApproval(), [tenantWide!, scoped!], { tenantId: 'acme', role: 'clerk', device: 'ios' });
    });
  });

  it('pins the base version it checked the anchors against', () => {
    const [ext] = insightsToWorkflowTweaks(insights([bottleneck('review', 0.6)]), {
      tenantId: 'acme',
      workflows,
    });
    expect(() => composer.compose({ ...invoiceApproval(), version: 2 }, [ext!], CTX)).toThrow(
      expect.objectContaining({ code: 'base_version_mismatch' }),
    );
  });

  it('explains the evidence in the description', () => {
    const [ext] = insightsToWorkflowTweaks(
      insights(
        [{ workflow: 'invoice-approval', step: 'review', dropRate: 0.85, entered: 20, completed: 3 }],
        {
          tenantId: 'acme',
          userId: 'manager-42',
        },
      ),
      { tenantId: 'acme', workflows },
    );
    expect(ext!.description).toBe(
      'Step "review" of "invoice-approval": 3 of 20 entries completed (drop rate 85%) for user "manager-42" ' +
        'over 7 days to 2026-03-08T12:00:00.000Z. Adds an assisted review and a reminder before the step.',
    );
  });

  it("refuses another tenant's insights and returns nothing without bottlenecks", () => {
    expect(() =>
      insightsToWorkflowTweaks(insights([bottleneck('review', 0.6)]), { tenantId: 'globex', workflows }),
    ).toThrow(/tenant "acme", not "globex"/);
    expect(insightsToWorkflowTweaks(insights([]), { tenantId: 'acme', workflows })).toEqual([]);
  });
});
