// The two snippets of issue 8, run as written through the package subpath.
import {
  createBehaviorTracker,
  InMemoryBehaviorStore,
  BehaviorAnalyzer,
} from '@lssm/behavior-core/personalization';

describe('issue 8 snippets', () => {
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
});
