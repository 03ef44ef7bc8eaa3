import type { Meter } from '@opentelemetry/api';
import type { BehaviorQuery, BehaviorStore } from '../contracts/behavior-store.js';
import type { BehaviorEvent } from '../events/behavior-event.js';
import { BehaviorStoreError } from '../stores/behavior-store.error.js';
import { createBehaviorTracker } from './behavior-tracker.js';
import type { BehaviorDropNotice, BehaviorTrackerOptions } from './behavior-tracker.types.js';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

/** Each append consumes one scripted step: an Error to throw, a Deferred to wait on, or nothing (success). */
class ScriptedStore implements BehaviorStore {
  readonly calls: BehaviorEvent[][] = [];
  readonly script: (Error | Deferred | 'ok')[] = [];
  failAlways: Error | undefined;
  active = 0;
  maxActive = 0;

  async append(events: readonly BehaviorEvent[]): Promise<void> {
    this.calls.push([...events]);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      const step = this.script.shift();
      if (this.failAlways) throw this.failAlways;
      if (step instanceof Error) throw step;
      if (step && step !== 'ok') await step.promise;
    } finally {
      this.active -= 1;
    }
  }

  async query(_query: BehaviorQuery): Promise<BehaviorEvent[]> {
    return [];
  }

  get sentIds(): string[] {
    return this.calls.flat().map((e) => e.id);
  }
}

/** Lets the tracker's promise chains run without moving the fake clock. */
async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function trackMany(
  tracker: ReturnType<typeof createBehaviorTracker>,
  n: number,
  prefix = 'f',
): BehaviorEvent[] {
  return Array.from({ length: n }, (_, i) =>
    tracker.trackFieldAccess({ operation: 'billing.createOrder', field: `${prefix}${i}` }),
  );
}

const context = { tenantId: 'acme', userId: 'manager-42' };
const noJitter: BehaviorTrackerOptions['retry'] = {
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: 'none',
};

describe('createBehaviorTracker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stamps events with a random UUID, the clock and the context', () => {
    jest.setSystemTime(new Date('2026-03-01T10:00:00Z'));
    const tracker = createBehaviorTracker({
      store: new ScriptedStore(),
      context: { ...context, role: 'manager', device: 'desktop', sessionId: 's-1' },
    });
    const field = tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'internalNotes' });
    const feature = tracker.trackFeatureUsage({
      feature: 'orders',
      action: 'opened',
      metadata: { layout: 'table' },
    });
    const step = tracker.trackWorkflowStep({
      workflow: 'invoice-approval',
      step: 'review',
      status: 'entered',
      instanceId: 'i-1',
    });

    expect(field).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      kind: 'field_access',
      timestamp: Date.parse('2026-03-01T10:00:00Z'),
      tenantId: 'acme',
      userId: 'manager-42',
      role: 'manager',
      device: 'desktop',
      sessionId: 's-1',
      operation: 'billing.createOrder',
      field: 'internalNotes',
      action: 'viewed',
    });
    expect(feature).toMatchObject({
      kind: 'feature_usage',
      feature: 'orders',
      action: 'opened',
      metadata: { layout: 'table' },
    });
    expect(step).toMatchObject({
      kind: 'workflow_step',
      workflow: 'invoice-approval',
      step: 'review',
      status: 'entered',
      instanceId: 'i-1',
    });
    expect(new Set([field.id, feature.id, step.id]).size).toBe(3);
    expect(tracker.stats().pending).toBe(3);
  });

  it('rejects invalid input and options', () => {
    const store = new ScriptedStore();
    expect(() => createBehaviorTracker({ store, context: { tenantId: '' } })).toThrow(/tenantId/);
    expect(() => createBehaviorTracker({ store, context, maxBatchSize: 0 })).toThrow(RangeError);
    expect(() => createBehaviorTracker({ store, context, maxBatchSize: 50, maxBufferSize: 10 })).toThrow(
      RangeError,
    );
    const tracker = createBehaviorTracker({ store, context });
    expect(() => tracker.trackWorkflowStep({ workflow: 'w', step: 's', status: 'done' as never })).toThrow(
      /status/,
    );
    expect(() =>
      tracker.trackFieldAccess({ operation: 'op', field: 'f', action: 'clicked' as never }),
    ).toThrow(/action/);
    expect(() => tracker.trackFieldAccess({ operation: '', field: 'f' })).toThrow(/operation/);
  });

  it('flushes when the buffer reaches 25 events, in order', async () => {
    const store = new ScriptedStore();
    const tracker = createBehaviorTracker({ store, context });
    const first = trackMany(tracker, 24);
    await settle();
    expect(store.calls).toHaveLength(0);

    const last = tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'f24' });
    await settle();
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]!.map((e) => e.id)).toEqual([...first, last].map((e) => e.id));
    expect(tracker.stats()).toMatchObject({ sent: 25, pending: 0 });
  });

  it('honours a configured maxBatchSize and splits a large explicit flush into batches', async () => {
    const store = new ScriptedStore();
    const tracker = createBehaviorTracker({ store, context, maxBatchSize: 3 });
    trackMany(tracker, 2);
    await settle();
    expect(store.calls).toHaveLength(0);
    tracker.trackFieldAccess({ operation: 'op', field: 'x' });
    await settle();
    expect(store.calls.map((c) => c.length)).toEqual([3]);

    const tracker2 = createBehaviorTracker({
      store: ((store.calls.length = 0), store),
      context,
      maxBatchSize: 1000,
    });
    trackMany(tracker2, 7);
    const result = await tracker2.flush();
    expect(result).toEqual({ sent: 7, pending: 0 });
  });

  it('flushes every autoFlushIntervalMs and not when there is nothing to send', async () => {
    const store = new ScriptedStore();
    const tracker = createBehaviorTracker({ store, context, autoFlushIntervalMs: 5_000 });
    trackMany(tracker, 2);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(store.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(store.calls.map((c) => c.length)).toEqual([2]);

    await jest.advanceTimersByTimeAsync(20_000);
    expect(store.calls).toHaveLength(1);

    tracker.trackFeatureUsage({ feature: 'workflow-editor', action: 'opened' });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(store.calls.map((c) => c.length)).toEqual([2, 1]);
    await tracker.close();
  });

  it('close() flushes what is left, stops the timers and ignores later tracking', async () => {
    const store = new ScriptedStore();
    const tracker = createBehaviorTracker({ store, context, autoFlushIntervalMs: 5_000 });
    const events = trackMany(tracker, 3);
    expect(jest.getTimerCount()).toBe(1);

    const result = await tracker.close();
    expect(result).toEqual({ sent: 3, pending: 0 });
    expect(store.sentIds).toEqual(events.map((e) => e.id));
    expect(jest.getTimerCount()).toBe(0);

    trackMany(tracker, 30);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(store.calls).toHaveLength(1);
    expect(tracker.stats()).toMatchObject({ closed: true, pending: 0, sent: 3 });
    expect(await tracker.close()).toEqual(result); // idempotent
  });

  it('retries a failed flush with exponential backoff, keeping the same events in order', async () => {
    const store = new ScriptedStore();
    const errors: unknown[] = [];
    const tracker = createBehaviorTracker({
      store,
      context,
      retry: noJitter,
      onError: (e) => errors.push(e),
    });
    store.script.push(new Error('down'), new Error('down'), new Error('down'));
    const events = trackMany(tracker, 4);

    const first = await tracker.flush();
    expect(first).toMatchObject({ sent: 0, pending: 4, error: expect.any(Error) });
    const delays: number[] = [];
    for (let attempt = 2; attempt <= 4; attempt++) {
      const { nextRetryAt } = tracker.stats();
      const delay = nextRetryAt! - Date.now();
      delays.push(delay);
      await jest.advanceTimersByTimeAsync(delay - 1);
      expect(store.calls).toHaveLength(attempt - 1);
      await jest.advanceTimersByTimeAsync(1);
      expect(store.calls).toHaveLength(attempt);
    }

    expect(delays).toEqual([100, 200, 400]);
    for (const call of store.calls) expect(call.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(errors).toHaveLength(3);
    expect(tracker.stats()).toMatchObject({ sent: 4, pending: 0, consecutiveFailures: 0 });
    expect(tracker.stats().nextRetryAt).toBeUndefined();
    expect(tracker.stats().lastError).toBeInstanceOf(Error);
  });

  it('keeps jittered retry delays within the growing cap', async () => {
    const store = new ScriptedStore();
    store.failAlways = new Error('down');
    const draws = [0.5, 0.5, 0.5, 0.99, 0.01];
    const tracker = createBehaviorTracker({
      store,
      context,
      retry: {
        initialDelayMs: 100,
        maxDelayMs: 1_000,
        factor: 2,
        jitter: 'full',
        random: () => draws.shift() ?? 0.5,
      },
    });
    trackMany(tracker, 1);
    await tracker.flush();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const delay = tracker.stats().nextRetryAt! - Date.now();
      delays.push(delay);
      await jest.advanceTimersByTimeAsync(delay);
    }
    expect(delays.slice(0, 3)).toEqual([50, 100, 200]); // same draw: delays grow with the cap
    expect(delays[3]).toBeLessThanOrEqual(800);
    expect(delays[4]).toBeLessThanOrEqual(1_000);
    expect(delays[4]).toBeGreaterThanOrEqual(0);
    expect(tracker.stats().consecutiveFailures).toBe(6);
  });

  it('waits at least Retry-After before retrying', async () => {
    const store = new ScriptedStore();
    store.script.push(new BehaviorStoreError('busy', { retryable: true, status: 429, retryAfterMs: 7_000 }));
    const tracker = createBehaviorTracker({ store, context, retry: noJitter });
    trackMany(tracker, 1);
    await tracker.flush();
    expect(tracker.stats().nextRetryAt! - Date.now()).toBe(7_000);
    await jest.advanceTimersByTimeAsync(6_999);
    expect(store.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(store.calls).toHaveLength(2);
    expect(tracker.stats().sent).toBe(1);
  });

  it('does not let size or interval triggers bypass the backoff, but an explicit flush goes out', async () => {
    const store = new ScriptedStore();
    store.script.push(new Error('down'));
    const tracker = createBehaviorTracker({
      store,
      context,
      maxBatchSize: 2,
      autoFlushIntervalMs: 50,
      retry: noJitter,
    });
    trackMany(tracker, 2);
    await settle();
    expect(store.calls).toHaveLength(1);
    trackMany(tracker, 4, 'g'); // over the batch size while backing off
    await jest.advanceTimersByTimeAsync(99); // interval fires twice, retry is due at 100
    expect(store.calls).toHaveLength(1);
    await tracker.flush();
    expect(store.calls.length).toBeGreaterThan(1);
    expect(tracker.stats()).toMatchObject({ pending: 0, sent: 6 });
    await tracker.close();
  });

  it('bounds the buffer: the oldest events are dropped, counted and reported', async () => {
    const store = new ScriptedStore();
    store.failAlways = new Error('down');
    const drops: BehaviorDropNotice[] = [];
    const tracker = createBehaviorTracker({
      store,
      context,
      maxBatchSize: 2,
      maxBufferSize: 5,
      retry: noJitter,
      onDrop: (n) => drops.push(n),
    });
    const events = trackMany(tracker, 8);
    await settle();
    expect(tracker.stats()).toMatchObject({ dropped: 3, pending: 5 });
    expect(drops.map((d) => d.reason)).toEqual(['overflow', 'overflow', 'overflow']);
    expect(drops.flatMap((d) => d.events.map((e) => e.id))).toEqual(events.slice(0, 3).map((e) => e.id));

    store.failAlways = undefined;
    await jest.advanceTimersByTimeAsync(100);
    expect(tracker.stats()).toMatchObject({ dropped: 3, pending: 0, sent: 5 });
    expect(
      store.calls
        .slice(-3)
        .flat()
        .map((e) => e.id),
    ).toEqual(events.slice(3).map((e) => e.id));
  });

  it('never runs two flushes at once and coalesces requests made meanwhile', async () => {
    const store = new ScriptedStore();
    const gate = deferred();
    store.script.push(gate);
    const tracker = createBehaviorTracker({ store, context, autoFlushIntervalMs: 10 });
    trackMany(tracker, 25);
    await settle();
    expect(store.active).toBe(1);

    trackMany(tracker, 30, 'g'); // size trigger while the first batch is in flight
    const explicit = [tracker.flush(), tracker.flush()];
    await jest.advanceTimersByTimeAsync(100); // interval ticks too
    expect(store.calls).toHaveLength(1);
    expect(tracker.stats()).toMatchObject({ inFlight: 25, pending: 55, flushing: true });

    gate.resolve();
    const results = await Promise.all(explicit);
    expect(results[0]).toBe(results[1]);
    await settle();
    expect(store.maxActive).toBe(1);
    expect(tracker.stats()).toMatchObject({ sent: 55, pending: 0 });
    await tracker.close();
  });

  it('discards a batch the store rejects for good and carries on with the next one', async () => {
    const store = new ScriptedStore();
    const permanent = new BehaviorStoreError('bad request', { retryable: false, status: 400 });
    store.script.push(permanent);
    const drops: BehaviorDropNotice[] = [];
    const tracker = createBehaviorTracker({ store, context, maxBatchSize: 2, onDrop: (n) => drops.push(n) });
    trackMany(tracker, 1);
    trackMany(tracker, 3, 'g');
    await settle();
    const result = await tracker.flush();
    expect(tracker.stats()).toMatchObject({ rejected: 2, sent: 2, pending: 0, consecutiveFailures: 0 });
    expect(tracker.stats().nextRetryAt).toBeUndefined();
    expect(drops).toEqual([{ reason: 'rejected', events: store.calls[0], error: permanent }]);
    expect(result.pending).toBe(0);
  });

  it('close() with a dead store reports the leftovers as dropped instead of keeping them silently', async () => {
    const store = new ScriptedStore();
    store.failAlways = new Error('down');
    const drops: BehaviorDropNotice[] = [];
    const tracker = createBehaviorTracker({
      store,
      context,
      autoFlushIntervalMs: 1_000,
      onDrop: (n) => drops.push(n),
    });
    trackMany(tracker, 3);
    const result = await tracker.close();
    expect(result).toMatchObject({ sent: 0, pending: 3, error: expect.any(Error) });
    expect(drops).toEqual([expect.objectContaining({ reason: 'closed' })]);
    expect(drops[0]!.events).toHaveLength(3);
    expect(tracker.stats()).toMatchObject({ dropped: 3, pending: 0 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('survives callbacks that throw', async () => {
    const store = new ScriptedStore();
    store.failAlways = new Error('down');
    const tracker = createBehaviorTracker({
      store,
      context,
      maxBatchSize: 1,
      maxBufferSize: 1,
      onDrop: () => {
        throw new Error('host bug');
      },
      onError: () => {
        throw new Error('host bug');
      },
    });
    expect(() => trackMany(tracker, 3)).not.toThrow();
    await expect(tracker.close()).resolves.toMatchObject({ sent: 0 });
  });

  it('counts each tracked event on the OpenTelemetry counter by kind', () => {
    const add = jest.fn();
    const createCounter = jest.fn(() => ({ add }));
    const meter = { createCounter } as unknown as Meter;
    const tracker = createBehaviorTracker({ store: new ScriptedStore(), context, meter });
    tracker.trackFieldAccess({ operation: 'op', field: 'f' });
    tracker.trackFeatureUsage({ feature: 'x', action: 'opened' });
    tracker.trackWorkflowStep({ workflow: 'w', step: 's', status: 'entered' });
    expect(createCounter).toHaveBeenCalledWith('personalization.events.tracked', expect.any(Object));
    expect(add.mock.calls).toEqual([
      [1, { kind: 'field_access' }],
      [1, { kind: 'feature_usage' }],
      [1, { kind: 'workflow_step' }],
    ]);
  });

  it('works without an OpenTelemetry SDK (the global meter is a no-op)', async () => {
    const tracker = createBehaviorTracker({ store: new ScriptedStore(), context });
    expect(() => tracker.trackFieldAccess({ operation: 'op', field: 'f' })).not.toThrow();
    await tracker.close();
  });

  it('unrefs its timers so they never keep a Node process alive', async () => {
    const handles: { unref: jest.Mock }[] = [];
    const make = (): { unref: jest.Mock } => {
      const handle = { unref: jest.fn() };
      handles.push(handle);
      return handle;
    };
    const store = new ScriptedStore();
    store.failAlways = new Error('down');
    const tracker = createBehaviorTracker({
      store,
      context,
      autoFlushIntervalMs: 1_000,
      timers: { setTimeout: make, clearTimeout: () => {}, setInterval: make, clearInterval: () => {} },
    });
    trackMany(tracker, 1);
    await tracker.flush(); // fails: schedules the retry timeout
    expect(handles).toHaveLength(2);
    for (const handle of handles) expect(handle.unref).toHaveBeenCalled();
  });
});
