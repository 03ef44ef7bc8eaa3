import type { BehaviorEvent } from '../events/behavior-event.js';
import { BehaviorStoreError } from './behavior-store.error.js';
import { createBehaviorTracker } from '../tracker/behavior-tracker.js';
import { HttpBehaviorStore, type RejectedSignal } from './http-behavior.store.js';

interface Sent {
  url: string;
  init: RequestInit;
  body: { signals: { signalKey: string; [key: string]: unknown }[] };
}

type Responder = (sent: Sent) => Response | Promise<Response>;

/** A fake `fetch` that records requests and answers from a responder; no network involved. */
function fakeFetch(responder: Responder = ok) {
  const sent: Sent[] = [];
  const fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const entry: Sent = { url: String(url), init: init!, body: JSON.parse(String(init!.body)) };
    sent.push(entry);
    return responder(entry);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

function ok(sent: Sent): Response {
  const results = sent.body.signals.map((_, index) => ({ index, status: 'accepted', id: `id-${index}` }));
  return json(200, { accepted: results.length, duplicates: 0, rejected: 0, results });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

let seq = 0;
function fieldEvent(extra: Partial<BehaviorEvent> = {}): BehaviorEvent {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    kind: 'field_access',
    timestamp: Date.parse('2026-03-01T10:00:00Z'),
    tenantId: 'acme',
    userId: 'manager-42',
    operation: 'billing.createOrder',
    field: 'internalNotes',
    action: 'viewed',
    ...extra,
  } as BehaviorEvent;
}

const base = { baseUrl: 'https://behavior.example.com/', apiKey: 'k-123' };

describe('HttpBehaviorStore (fetch faked: no server in unit tier)', () => {
  it('posts personalization.* signals (schema attributes only) with signalKey = event id and the bearer key', async () => {
    const { fetch, sent } = fakeFetch();
    const store = new HttpBehaviorStore({ ...base, fetch });
    const ctx = {
      tenantId: 'acme',
      userId: 'manager-42',
      sessionId: 's-9',
      role: 'manager',
      device: 'ios',
    };
    const t = Date.parse('2026-03-01T10:00:00Z');
    await store.append([
      {
        id: 'e1',
        kind: 'field_access',
        timestamp: t,
        ...ctx,
        operation: 'billing.createOrder',
        field: 'internalNotes',
        action: 'edited',
      },
      {
        id: 'e2',
        kind: 'feature_usage',
        timestamp: t,
        ...ctx,
        feature: 'orders',
        action: 'opened',
        metadata: { layout: 'table', value: 'compact', durationMs: 1200, other: { nested: true } },
      },
      {
        id: 'e3',
        kind: 'feature_usage',
        timestamp: t,
        tenantId: 'acme',
        device: 'smart-fridge', // outside the schema's device enum
        feature: 'workflow-editor',
        action: 'opened',
      },
      {
        id: 'e4',
        kind: 'workflow_step',
        timestamp: t,
        ...ctx,
        workflow: 'invoice-approval',
        step: 'review',
        status: 'entered',
        instanceId: 'inv-7',
      },
    ]);

    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://behavior.example.com/api/ai-behavior/signals/batch');
    expect(sent[0]!.init.method).toBe('POST');
    expect(sent[0]!.init.headers).toMatchObject({
      authorization: 'Bearer k-123',
      'content-type': 'application/json',
    });
    const scope = {
      userId: 'manager-42',
      sessionId: 's-9',
      timestamp: '2026-03-01T10:00:00.000Z',
      source: 'tracker',
    };
    expect(sent[0]!.body).toEqual({
      signals: [
        {
          schemaId: 'personalization.field.access',
          signalKey: 'e1',
          ...scope,
          attributes: {
            operation: 'billing.createOrder',
            field: 'internalNotes',
            action: 'edited',
            role: 'manager',
            device: 'ios',
          },
        },
        {
          schemaId: 'personalization.feature.usage',
          signalKey: 'e2',
          ...scope,
          attributes: {
            feature: 'orders',
            action: 'opened',
            role: 'manager',
            device: 'ios',
            layout: 'table',
            value: 'compact',
            durationMs: 1200,
          },
        },
        {
          schemaId: 'personalization.feature.usage',
          signalKey: 'e3',
          timestamp: '2026-03-01T10:00:00.000Z',
          source: 'tracker',
          attributes: { feature: 'workflow-editor', action: 'opened', device: 'other' },
        },
        {
          schemaId: 'personalization.workflow.step',
          signalKey: 'e4',
          ...scope,
          attributes: {
            workflow: 'invoice-approval',
            step: 'review',
            status: 'entered',
            instanceId: 'inv-7',
            role: 'manager',
            device: 'ios',
          },
        },
      ],
    });
  });

  it('keeps signalKeys stable when the tracker retries after a 503', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      const { fetch, sent } = fakeFetch((s) => (++calls === 1 ? json(503, { statusCode: 503 }) : ok(s)));
      const tracker = createBehaviorTracker({
        store: new HttpBehaviorStore({ ...base, fetch }),
        context: { tenantId: 'acme', userId: 'manager-42' },
        retry: { initialDelayMs: 100, jitter: 'none' },
      });
      tracker.trackFieldAccess({ operation: 'billing.createOrder', field: 'internalNotes' });
      tracker.trackWorkflowStep({ workflow: 'invoice-approval', step: 'review', status: 'entered' });
      const first = await tracker.flush();
      expect(first.error).toBeInstanceOf(BehaviorStoreError);
      expect(first.error).toMatchObject({ retryable: true, status: 503 });
      await jest.advanceTimersByTimeAsync(100);

      expect(sent).toHaveLength(2);
      const keys = sent.map((s) => s.body.signals.map((x) => x.signalKey));
      expect(keys[1]).toEqual(keys[0]);
      expect(new Set(keys[0]).size).toBe(2);
      expect(tracker.stats()).toMatchObject({ sent: 2, pending: 0 });
      await tracker.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('never sends more than 500 signals per request', async () => {
    const { fetch, sent } = fakeFetch();
    const store = new HttpBehaviorStore({ ...base, fetch, maxBatchSize: 10_000 });
    const events = Array.from({ length: 1_200 }, () => fieldEvent());
    await store.append(events);
    expect(sent.map((s) => s.body.signals.length)).toEqual([500, 500, 200]);
    expect(sent.flatMap((s) => s.body.signals.map((x) => x.signalKey))).toEqual(events.map((e) => e.id));
  });

  it('splits a batch the server answers with 413 until it fits, keeping the order', async () => {
    const { fetch, sent } = fakeFetch((s) =>
      s.body.signals.length > 100 ? json(413, { statusCode: 413 }) : ok(s),
    );
    const store = new HttpBehaviorStore({ ...base, fetch });
    const events = Array.from({ length: 300 }, () => fieldEvent());
    await store.append(events);
    const delivered = sent.filter((s) => s.body.signals.length <= 100);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((s) => s.body.signals.length <= 100)).toBe(true);
    expect(delivered.flatMap((s) => s.body.signals.map((x) => x.signalKey))).toEqual(events.map((e) => e.id));
  });

  it('rejects a single signal that is still too large instead of retrying it forever', async () => {
    const rejected: RejectedSignal[] = [];
    const { fetch } = fakeFetch((s) => (s.body.signals.length > 1 ? ok(s) : json(413, {})));
    const store = new HttpBehaviorStore({ ...base, fetch, onRejected: (r) => rejected.push(...r) });
    const event = fieldEvent();
    await expect(store.append([event])).resolves.toBeUndefined();
    expect(rejected).toEqual([
      expect.objectContaining({ event, errors: [expect.objectContaining({ code: 'too_large' })] }),
    ]);
  });

  it('reports per-item rejections through onRejected and does not fail the batch', async () => {
    const rejected: RejectedSignal[] = [];
    const { fetch } = fakeFetch(() =>
      json(200, {
        accepted: 1,
        duplicates: 1,
        rejected: 1,
        results: [
          { index: 0, status: 'accepted', id: 'x' },
          {
            index: 1,
            status: 'rejected',
            errors: [{ path: '/attributes/field', code: 'maxLength', message: 'too long' }],
          },
          { index: 2, status: 'duplicate', id: 'y' },
        ],
      }),
    );
    const store = new HttpBehaviorStore({ ...base, fetch, onRejected: (r) => rejected.push(...r) });
    const events = [
      fieldEvent(),
      fieldEvent({ field: 'x'.repeat(500) } as Partial<BehaviorEvent>),
      fieldEvent(),
    ];
    await store.append(events);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      event: events[1],
      signal: { signalKey: events[1]!.id },
      errors: [{ code: 'maxLength' }],
    });
  });

  it('turns 429/503 Retry-After into the minimum retry delay (seconds and HTTP date)', async () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    const { fetch: f429 } = fakeFetch(() => json(429, { statusCode: 429 }, { 'retry-after': '7' }));
    const err429 = await new HttpBehaviorStore({ ...base, fetch: f429 })
      .append([fieldEvent()])
      .catch((e) => e);
    expect(err429).toBeInstanceOf(BehaviorStoreError);
    expect(err429).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7_000 });

    const date = new Date(now + 30_000).toUTCString();
    const { fetch: f503 } = fakeFetch(() => json(503, {}, { 'retry-after': date }));
    const err503 = await new HttpBehaviorStore({ ...base, fetch: f503, clock: () => now })
      .append([fieldEvent()])
      .catch((e) => e);
    expect(err503).toMatchObject({ retryable: true, status: 503, retryAfterMs: 30_000 });
  });

  it('makes the tracker wait for Retry-After even when its backoff is shorter', async () => {
    jest.useFakeTimers();
    try {
      let calls = 0;
      const { fetch, sent } = fakeFetch((s) =>
        ++calls === 1 ? json(429, {}, { 'retry-after': '5' }) : ok(s),
      );
      const tracker = createBehaviorTracker({
        store: new HttpBehaviorStore({ ...base, fetch }),
        context: { tenantId: 'acme' },
        retry: { initialDelayMs: 100, jitter: 'none' },
      });
      tracker.trackFeatureUsage({ feature: 'orders', action: 'opened' });
      await tracker.flush();
      await jest.advanceTimersByTimeAsync(4_999);
      expect(sent).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(sent).toHaveLength(2);
      await tracker.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('classifies failures: 5xx and network errors are retryable, other 4xx are not', async () => {
    const attempt = async (responder: Responder) =>
      new HttpBehaviorStore({ ...base, fetch: fakeFetch(responder).fetch })
        .append([fieldEvent()])
        .catch((e) => e);
    expect(await attempt(() => json(500, {}))).toMatchObject({ retryable: true, status: 500 });
    expect(await attempt(() => json(502, {}))).toMatchObject({ retryable: true, status: 502 });
    expect(await attempt(() => Promise.reject(new TypeError('fetch failed')))).toMatchObject({
      retryable: true,
    });
    expect(await attempt(() => json(401, { statusCode: 401 }))).toMatchObject({
      retryable: false,
      status: 401,
    });
    expect(await attempt(() => json(400, { statusCode: 400, message: 'malformed' }))).toMatchObject({
      retryable: false,
    });
  });

  it('query() points at the server-side insights endpoint', async () => {
    const store = new HttpBehaviorStore({ ...base, fetch: fakeFetch().fetch });
    await expect(store.query({ tenantId: 'acme' })).rejects.toThrow(
      /not supported — use GET \/api\/personalization\/insights/,
    );
  });
});
