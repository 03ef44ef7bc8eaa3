/**
 * @jest-environment jsdom
 */
// Runs the tracker and HTTP store against browser globals (jsdom: numeric timer handles without
// unref, window.crypto). The import rule itself is checked statically in framework-free.spec.ts.
import { createBehaviorTracker, HttpBehaviorStore } from '@lssm/personalization';

describe('personalization in a browser environment', () => {
  it('tracks and sends a batch with window timers and an injected fetch', async () => {
    const bodies: unknown[] = [];
    const fetch = (async (_url: string, init: { body: string }) => {
      bodies.push(JSON.parse(init.body));
      return {
        ok: true,
        status: 200,
        headers: { get: () => null },
        json: async () => ({
          accepted: 1,
          duplicates: 0,
          rejected: 0,
          results: [{ index: 0, status: 'accepted' }],
        }),
      };
    }) as unknown as typeof globalThis.fetch;
    const tracker = createBehaviorTracker({
      store: new HttpBehaviorStore({ baseUrl: 'https://behavior.example.com', apiKey: 'k', fetch }),
      context: { tenantId: 'acme', device: 'web' },
      autoFlushIntervalMs: 1_000,
    });
    const event = tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'internalNotes' });
    expect(typeof window).toBe('object');
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(tracker.close()).resolves.toEqual({ sent: 1, pending: 0 });
    expect(bodies).toEqual([
      {
        signals: [expect.objectContaining({ signalKey: event.id, schemaId: 'personalization.field.access' })],
      },
    ]);
  });
});
