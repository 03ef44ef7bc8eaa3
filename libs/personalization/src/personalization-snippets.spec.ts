// The snippets of docs/personalization.md, run as written through the package entry point.
import {
  createBehaviorTracker,
  InMemoryBehaviorStore,
  BehaviorAnalyzer,
  insightsToOverlaySuggestion,
  insightsToWorkflowTweaks,
} from '@lssm/personalization';
import { validateOverlay } from '@lssm/overlay';
import { WorkflowComposer, validateWorkflow, type WorkflowSpec } from '@lssm/workflow';

describe('docs/personalization.md snippets', () => {
  it('tracker snippet runs as written', async () => {
    // prettier-ignore
    const tracker = createBehaviorTracker({
      store: new InMemoryBehaviorStore(),            // or new HttpBehaviorStore({ baseUrl, apiKey })
      context: { tenantId: 'acme', userId: 'manager-42' },   // also role, device, sessionId
      autoFlushIntervalMs: 5000,
    });
    tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'internalNotes' });
    tracker.trackFeatureUsage({ feature: 'workflow-editor', action: 'opened' });
    tracker.trackWorkflowStep({ workflow: 'invoice-approval', step: 'review', status: 'entered' });
    // prettier-ignore
    { await tracker.flush(); await tracker.close(); }

    expect(tracker.stats()).toMatchObject({ sent: 3, pending: 0, dropped: 0, closed: true });
  });

  it('analyzer snippet runs as written over what a tracker stored', async () => {
    const store = new InMemoryBehaviorStore();
    const tracker = createBehaviorTracker({ store, context: { tenantId: 'acme', userId: 'manager-42' } });
    tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'internalNotes' });
    for (let i = 0; i < 5; i++)
      tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'items' });
    for (let i = 0; i < 3; i++)
      tracker.trackFeatureUsage({ feature: 'orders', action: 'viewed', metadata: { layout: 'table' } });
    await tracker.close();

    const analyzer = new BehaviorAnalyzer(store, { fieldInactivityThreshold: 2 });
    // prettier-ignore
    const insights = await analyzer.analyze({ tenantId: 'acme', userId: 'manager-42', windowMs: 7 * 24 * 60 * 60 * 1000 });
    // { unusedFields, suggestedHiddenFields, frequentlyUsedFields, workflowBottlenecks: [{ workflow, step, dropRate }], layoutPreference }

    expect(insights).toMatchObject({
      unusedFields: [],
      suggestedHiddenFields: [{ operation: 'billing.createOrder', field: 'internalNotes', accesses: 1 }],
      frequentlyUsedFields: [{ operation: 'billing.createOrder', field: 'items', accesses: 5 }],
      workflowBottlenecks: [],
      layoutPreference: 'table',
    });
  });

  it('adapter snippet runs as written over the analyzer insights', async () => {
    const store = new InMemoryBehaviorStore();
    const tracker = createBehaviorTracker({ store, context: { tenantId: 'acme', userId: 'manager-42' } });
    tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'internalNotes' });
    for (let i = 0; i < 5; i++)
      tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'items' });
    await tracker.close();
    const analyzer = new BehaviorAnalyzer(store, { fieldInactivityThreshold: 2 });
    const insights = await analyzer.analyze({
      tenantId: 'acme',
      userId: 'manager-42',
      windowMs: 7 * 24 * 60 * 60 * 1000,
    });

    // prettier-ignore
    const overlay = insightsToOverlaySuggestion(insights, { overlayId: 'acme-order-form', tenantId: 'acme', capability: 'billing.createOrder' });

    expect(overlay).toMatchObject({
      overlayId: 'acme-order-form',
      version: 1,
      tenantId: 'acme',
      capability: 'billing.createOrder',
      scope: { userId: 'manager-42' },
      operations: [
        { type: 'hideField', field: 'internalNotes' },
        { type: 'reorderFields', fields: ['items'] },
      ],
      metadata: {
        hiddenFields: [{ field: 'internalNotes', accesses: 1 }],
        frequentFields: [{ field: 'items', accesses: 5 }],
      },
    });
    expect(validateOverlay(overlay)).toEqual({ valid: true, errors: [] });
  });

  it('workflow tweaks from tracked step events compose and validate', async () => {
    const store = new InMemoryBehaviorStore();
    const tracker = createBehaviorTracker({ store, context: { tenantId: 'acme', role: 'clerk' } });
    // 6 instances enter review, 1 completes it: drop rate 5/6 ≥ 0.8, so reminder and assisted review.
    for (let i = 0; i < 6; i++) {
      const instanceId = `inv-${i}`;
      tracker.trackWorkflowStep({
        workflow: 'invoice-approval',
        step: 'submit',
        status: 'entered',
        instanceId,
      });
      tracker.trackWorkflowStep({
        workflow: 'invoice-approval',
        step: 'submit',
        status: 'completed',
        instanceId,
      });
      tracker.trackWorkflowStep({
        workflow: 'invoice-approval',
        step: 'review',
        status: 'entered',
        instanceId,
      });
      tracker.trackWorkflowStep({
        workflow: 'invoice-approval',
        step: 'review',
        status: i === 0 ? 'completed' : 'abandoned',
        instanceId,
      });
    }
    await tracker.close();
    const insights = await new BehaviorAnalyzer(store).analyze({
      tenantId: 'acme',
      role: 'clerk',
      windowMs: 60_000,
    });
    const base: WorkflowSpec = {
      id: 'invoice-approval',
      version: 1,
      start: 'submit',
      steps: [
        { id: 'submit', type: 'task', label: 'Submit', transitions: [{ to: 'review' }] },
        { id: 'review', type: 'review', label: 'Review', transitions: [{ to: 'paid', on: 'approve' }] },
        { id: 'paid', type: 'end', label: 'Paid', transitions: [] },
      ],
      terminal: ['paid'],
    };

    const tweaks = insightsToWorkflowTweaks(insights, {
      tenantId: 'acme',
      workflows: { 'invoice-approval': base },
    });

    expect(tweaks).toHaveLength(1);
    const { workflow } = new WorkflowComposer().compose(base, tweaks, { tenantId: 'acme', role: 'clerk' });
    expect(validateWorkflow(workflow)).toEqual({ valid: true, errors: [] });
    expect(workflow.steps.map((s) => s.id)).toEqual([
      'submit',
      'review-assist',
      'review-reminder',
      'review',
      'paid',
    ]);
  });
});
