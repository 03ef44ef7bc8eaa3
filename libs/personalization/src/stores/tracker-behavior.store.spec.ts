import { MemoryStore, Tracker } from '@lssm/tracker';
import { createPersonalizationTracker } from '../tracker/personalization-tracker.factory';
import { BehaviorStoreError } from './behavior-store.error';
import { TrackerBehaviorStore } from './tracker-behavior.store';

function capturingFetch() {
  const bodies: any[] = [];
  const fn = (async (_url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string);
    bodies.push(body);
    const results = body.signals.map((_: unknown, index: number) => ({ index, status: 'accepted' }));
    return new Response(JSON.stringify({ results }), { status: 200 });
  }) as unknown as typeof fetch;
  return { fn, bodies };
}

describe('field/feature/workflow helpers on top of @lssm/tracker', () => {
  it('hand each event to the Tracker at once, mapped to its schema, with the event id as signalKey', async () => {
    const { fn, bodies } = capturingFetch();
    const store = new MemoryStore();
    const tracker = new Tracker({
      host: 'http://svc',
      key: 'pk_x',
      fetch: fn,
      store,
      flushIntervalMs: 60_000,
    });
    const helpers = createPersonalizationTracker(tracker, {
      context: { tenantId: 'acme', userId: 'u-1', role: 'agent', device: 'web', sessionId: 's-1' },
    });
    const field = helpers.trackFieldAccess({
      operation: 'billing.createOrder',
      field: 'amount',
      action: 'edited',
    });
    const step = helpers.trackWorkflowStep({ workflow: 'checkout', step: 'pay', status: 'completed' });
    await helpers.flush();
    // Already in the Tracker's persistent queue: nothing waits in front of it.
    await tracker.persisted();
    expect((await store.load()).map((s) => s.signalKey)).toEqual([field.id, step.id]);

    await tracker.flush();
    const sent = bodies.flatMap((b) => b.signals);
    expect(sent).toEqual([
      expect.objectContaining({
        schemaId: 'personalization.field.access',
        signalKey: field.id,
        userId: 'u-1',
        sessionId: 's-1',
        attributes: {
          operation: 'billing.createOrder',
          field: 'amount',
          action: 'edited',
          role: 'agent',
          device: 'web',
        },
      }),
      expect.objectContaining({ schemaId: 'personalization.workflow.step', signalKey: step.id }),
    ]);
    expect(new Date(sent[0].timestamp).getTime()).toBe(field.timestamp);
    expect(await store.load()).toEqual([]);
  });

  it('queries through the reader it is given, and refuses to query without one', async () => {
    const tracker = { track: () => 'k' };
    await expect(new TrackerBehaviorStore(tracker).query({ tenantId: 'acme' })).rejects.toBeInstanceOf(
      BehaviorStoreError,
    );
    const reader = { query: async () => [] };
    await expect(new TrackerBehaviorStore(tracker, reader).query({ tenantId: 'acme' })).resolves.toEqual([]);
  });
});
