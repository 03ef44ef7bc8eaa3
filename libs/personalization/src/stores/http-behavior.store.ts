import type { BehaviorQuery, BehaviorStore } from '../contracts/behavior-store.js';
import type { BehaviorEvent } from '../events/behavior-event.js';
import { BehaviorStoreError } from './behavior-store.error.js';
import { toSignalPayload, type BehaviorSignalPayload } from './behavior-signal.mapper.js';
import { parseRetryAfterMs } from './retry-after.parser.js';
import { unrefTimer } from '../tracker/tracker-timers.js';

/** The server's `ai.behavior.ingestion.maxBatchSize` default; larger requests get 413. */
export const HTTP_BEHAVIOR_MAX_BATCH_SIZE = 500;
export const SIGNALS_BATCH_PATH = '/api/ai-behavior/signals/batch';

export interface SignalItemError {
  path?: string;
  code?: string;
  message?: string;
}

export interface RejectedSignal {
  event: BehaviorEvent;
  signal: BehaviorSignalPayload;
  errors: SignalItemError[];
}

export interface HttpBehaviorStoreOptions {
  baseUrl: string;
  apiKey: string;
  /** Defaults to `globalThis.fetch`; inject for tests or for runtimes with their own client. */
  fetch?: typeof globalThis.fetch;
  /** Signals per request; capped at the server limit (500). */
  maxBatchSize?: number;
  /** A hung request would stall the tracker (one flush at a time), so requests are aborted after this. */
  timeoutMs?: number;
  /** Signals the server refused for good (schema violations): reported here and never re-sent. */
  onRejected?: (rejected: RejectedSignal[]) => void;
  clock?: () => number;
}

interface BatchResponseBody {
  accepted?: number;
  duplicates?: number;
  rejected?: number;
  results?: {
    index: number;
    status: 'accepted' | 'duplicate' | 'rejected';
    id?: string;
    errors?: SignalItemError[];
  }[];
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);

/**
 * Sends tracker events to the service as `personalization.*` signals. Each event's id is its
 * `signalKey`, so re-sending a batch after a timeout or 5xx is answered with `duplicate`, not stored twice.
 */
export class HttpBehaviorStore implements BehaviorStore {
  private readonly url: string;
  private readonly apiKey: string;
  private readonly fetchFn: typeof globalThis.fetch;
  private readonly maxBatchSize: number;
  private readonly timeoutMs: number;
  private readonly onRejected?: (rejected: RejectedSignal[]) => void;
  private readonly clock: () => number;

  constructor(options: HttpBehaviorStoreOptions) {
    if (!options?.baseUrl) throw new TypeError('HttpBehaviorStore: baseUrl is required');
    if (!options.apiKey) throw new TypeError('HttpBehaviorStore: apiKey is required');
    this.url = `${options.baseUrl.replace(/\/+$/, '')}${SIGNALS_BATCH_PATH}`;
    this.apiKey = options.apiKey;
    // Bound: browsers throw "Illegal invocation" when fetch is called with another `this`.
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.maxBatchSize = Math.max(
      1,
      Math.min(options.maxBatchSize ?? HTTP_BEHAVIOR_MAX_BATCH_SIZE, HTTP_BEHAVIOR_MAX_BATCH_SIZE),
    );
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.onRejected = options.onRejected;
    this.clock = options.clock ?? (() => Date.now());
  }

  async append(events: readonly BehaviorEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += this.maxBatchSize) {
      await this.send(events.slice(i, i + this.maxBatchSize));
    }
  }

  query(_query: BehaviorQuery): Promise<BehaviorEvent[]> {
    return Promise.reject(
      new Error(
        'HttpBehaviorStore.query is not supported — use GET /api/personalization/insights; the server analyzes stored signals itself',
      ),
    );
  }

  private async send(events: BehaviorEvent[]): Promise<void> {
    const signals = events.map(toSignalPayload);
    const response = await this.post(signals);

    if (response.status === 413) {
      // The server's limit can be lower than ours; halve until it fits. A single signal that is still
      // too large will never fit, so it is rejected like a schema violation instead of retried forever.
      if (events.length === 1) {
        this.reportRejected([
          {
            event: events[0]!,
            signal: signals[0]!,
            errors: [{ code: 'too_large', message: 'signal exceeds the server request limit' }],
          },
        ]);
        return;
      }
      const half = Math.ceil(events.length / 2);
      await this.send(events.slice(0, half));
      await this.send(events.slice(half));
      return;
    }

    const body = await readJson(response);
    if (
      response.ok ||
      ((response.status === 400 || response.status === 422) && Array.isArray(body?.results))
    ) {
      this.handleResults(events, signals, body);
      return;
    }

    const retryable = response.status >= 500 || RETRYABLE_STATUS.has(response.status);
    throw new BehaviorStoreError(`signal batch failed with HTTP ${response.status}`, {
      retryable,
      status: response.status,
      retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), this.clock()),
      cause: body,
    });
  }

  private async post(signals: BehaviorSignalPayload[]): Promise<Response> {
    const controller = new AbortController();
    const timer = unrefTimer(setTimeout(() => controller.abort(), this.timeoutMs));
    try {
      return await this.fetchFn(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
        body: JSON.stringify({ signals }),
        signal: controller.signal,
      });
    } catch (error) {
      throw new BehaviorStoreError('signal batch request failed (network error or timeout)', {
        retryable: true,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private handleResults(
    events: BehaviorEvent[],
    signals: BehaviorSignalPayload[],
    body: BatchResponseBody | undefined,
  ): void {
    const rejected: RejectedSignal[] = [];
    for (const result of body?.results ?? []) {
      if (result.status !== 'rejected') continue;
      const event = events[result.index];
      const signal = signals[result.index];
      if (event && signal) rejected.push({ event, signal, errors: result.errors ?? [] });
    }
    this.reportRejected(rejected);
  }

  private reportRejected(rejected: RejectedSignal[]): void {
    if (rejected.length === 0 || !this.onRejected) return;
    try {
      this.onRejected(rejected);
    } catch {
      // A failing callback must not turn a stored batch into a "failed" one that gets re-sent.
    }
  }
}

async function readJson(response: Response): Promise<BatchResponseBody | undefined> {
  try {
    return (await response.json()) as BatchResponseBody;
  } catch {
    return undefined;
  }
}
