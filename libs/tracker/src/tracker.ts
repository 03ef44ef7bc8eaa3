import { backoffDelay, parseRetryAfter } from './backoff.policy.js';
import { BoundedQueue } from './bounded.queue.js';
import { MemoryStore } from './memory.store.js';
import type { DroppedSignal, QueueStore, TrackOptions, TrackedSignal } from './tracker.types.js';

export interface TrackerOptions {
  // Base URL of the service, e.g. https://api.example (the path /api/ai-behavior/signals/batch is appended).
  host: string;
  key: string;
  batchSize?: number;
  flushIntervalMs?: number;
  maxQueueCount?: number;
  maxQueueBytes?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  store?: QueueStore;
  fetch?: typeof fetch;
  sessionId?: string;
  onDropped?: (dropped: DroppedSignal) => void;
  onError?: (error: unknown) => void;
}

const PATH = '/api/ai-behavior/signals/batch';
// sendBeacon and keepalive fetch both cap the in-flight body at 64 KiB.
export const BEACON_LIMIT = 64 * 1024;

interface BatchItemResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  errors?: unknown[];
}

const uuid = (): string =>
  globalThis.crypto?.randomUUID?.() ??
  'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => ((Math.random() * 16) | 0).toString(16));

export class Tracker {
  private readonly queue: BoundedQueue;
  private readonly store: QueueStore;
  private readonly opts: Required<
    Pick<TrackerOptions, 'batchSize' | 'flushIntervalMs' | 'backoffBaseMs' | 'backoffMaxMs'>
  >;
  private userId?: string;
  private sessionId?: string;
  private timer?: ReturnType<typeof setTimeout>;
  private flushing?: Promise<void>;
  private readonly ready: Promise<void>;
  private attempt = 0;
  private closed = false;
  private saving: Promise<void> = Promise.resolve();
  private queuedSave?: Promise<void>;

  constructor(private readonly options: TrackerOptions) {
    this.opts = {
      batchSize: options.batchSize ?? 50,
      flushIntervalMs: options.flushIntervalMs ?? 5000,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 60_000,
    };
    this.queue = new BoundedQueue({
      maxCount: options.maxQueueCount ?? 1000,
      maxBytes: options.maxQueueBytes ?? 1_000_000,
    });
    this.store = options.store ?? new MemoryStore();
    this.sessionId = options.sessionId ?? uuid();
    // Events left by a previous page or process go out first; their signalKeys make a resend harmless.
    this.ready = this.store.load().then(
      (saved) => {
        saved.forEach((s) => this.enqueue(s));
        // Without this, a reloaded page's leftovers would wait for the next track() call.
        if (this.queue.length > 0) this.schedule(this.opts.flushIntervalMs);
      },
      (err) => this.options.onError?.(err),
    );
  }

  /** Events evicted because the queue hit its count or byte bound. */
  get droppedCount(): number {
    return this.queue.dropped;
  }

  get pending(): number {
    return this.queue.length;
  }

  identify(userId: string): void {
    this.userId = userId;
  }

  reset(): void {
    this.userId = undefined;
    this.sessionId = uuid();
  }

  track(schemaId: string, attributes: Record<string, unknown>, o: TrackOptions = {}): string {
    const ts = o.timestamp ?? new Date();
    const signal: TrackedSignal = {
      schemaId,
      signalKey: o.signalKey ?? uuid(),
      timestamp: typeof ts === 'string' ? ts : ts.toISOString(),
      attributes,
    };
    if (o.schemaVersion !== undefined) signal.schemaVersion = o.schemaVersion;
    const userId = o.userId ?? this.userId;
    if (userId) signal.userId = userId;
    const sessionId = o.sessionId ?? this.sessionId;
    if (sessionId) signal.sessionId = sessionId;
    this.enqueue(signal);
    this.persistSoon();
    if (this.queue.length >= this.opts.batchSize) void this.flush();
    else this.schedule(this.opts.flushIntervalMs);
    return signal.signalKey;
  }

  private enqueue(signal: TrackedSignal): void {
    for (const old of this.queue.push(signal)) this.options.onDropped?.({ signal: old, reason: 'overflow' });
  }

  private persist(): Promise<void> {
    // Never before the saved queue is loaded: a save racing the load would overwrite what it had not read yet.
    this.saving = this.ready
      .then(() => this.store.save(this.queue.all()))
      .catch((err) => this.options.onError?.(err));
    return this.saving;
  }

  // One save for all the track() calls of a synchronous run: saving per call would copy the queue each time.
  private persistSoon(): void {
    this.queuedSave ??= Promise.resolve().then(() => {
      this.queuedSave = undefined;
      return this.persist();
    });
  }

  /** Resolves once the queue as it stands now is in the store (what a process may rely on before exiting). */
  async persisted(): Promise<void> {
    await this.queuedSave;
    await this.saving;
  }

  // A retry replaces the pending interval timer: the server's Retry-After or our backoff decides the next attempt.
  private schedule(ms: number, replace = false): void {
    if (this.closed) return;
    if (this.timer) {
      if (!replace) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Sends everything queued; resolves when the queue is empty or a retry has been scheduled. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    await this.ready;
    while (this.queue.length > 0) {
      const batch = this.queue.peek(this.opts.batchSize);
      const retryIn = await this.send(batch);
      // Not awaited: the next batch goes out while the store catches up (saves coalesce). A crash before
      // the save lands only means a resend, which the signalKeys make harmless.
      this.persistSoon();
      if (retryIn !== undefined) {
        this.schedule(retryIn, true);
        return;
      }
    }
  }

  // Returns a delay when the batch must be retried; otherwise every item was settled (stored or dropped).
  private async send(batch: TrackedSignal[]): Promise<number | undefined> {
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let res: Response;
    try {
      res = await doFetch(this.options.host + PATH, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.key}` },
        body: JSON.stringify({ signals: batch }),
      });
    } catch (err) {
      this.options.onError?.(err);
      return this.backoff();
    }
    if (res.status === 429 || res.status >= 500) {
      const hinted = parseRetryAfter(res.headers.get('retry-after'));
      const delay = this.backoff();
      return hinted !== undefined ? Math.max(hinted, delay) : delay;
    }
    this.attempt = 0;
    if (!res.ok) {
      // A whole-request 4xx (bad key, malformed body) cannot succeed by repeating it: drop and report.
      const body = await res.json().catch(() => undefined);
      for (const signal of batch) this.options.onDropped?.({ signal, reason: 'rejected', errors: [body] });
      this.queue.remove(new Set(batch.map((s) => s.signalKey)));
      return undefined;
    }
    const body = (await res.json()) as { results: BatchItemResult[] };
    const settled = new Set<string>();
    for (const r of body.results) {
      const signal = batch[r.index];
      if (!signal) continue;
      settled.add(signal.signalKey);
      if (r.status === 'rejected') this.options.onDropped?.({ signal, reason: 'rejected', errors: r.errors });
    }
    this.queue.remove(settled);
    return settled.size < batch.length ? this.backoff() : undefined;
  }

  private backoff(): number {
    return backoffDelay(this.attempt++, { baseMs: this.opts.backoffBaseMs, maxMs: this.opts.backoffMaxMs });
  }

  /**
   * Page-hide delivery: hands the queue to sendBeacon (or keepalive fetch) in chunks under 64 KiB.
   * The events stay in the store; the next page load resends them and signalKey dedup drops the repeats.
   */
  beacon(nav: Pick<Navigator, 'sendBeacon'> | undefined = globalThis.navigator): number {
    const url = `${this.options.host}${PATH}?key=${encodeURIComponent(this.options.key)}`;
    let sent = 0;
    let chunk: TrackedSignal[] = [];
    const emit = () => {
      if (chunk.length === 0) return;
      const body = JSON.stringify({ signals: chunk });
      const ok = nav?.sendBeacon?.(url, new Blob([body], { type: 'text/plain' }));
      if (!ok) {
        void (this.options.fetch ?? globalThis.fetch)(url, {
          method: 'POST',
          keepalive: true,
          headers: { 'content-type': 'text/plain' },
          body,
        }).catch(() => undefined);
      }
      sent += chunk.length;
      chunk = [];
    };
    for (const s of this.queue.all()) {
      const next = JSON.stringify({ signals: [...chunk, s] });
      if (next.length > BEACON_LIMIT) emit();
      if (JSON.stringify({ signals: [s] }).length <= BEACON_LIMIT) chunk.push(s);
    }
    emit();
    return sent;
  }

  /** Registers page-hide delivery; returns the function that removes the listeners. */
  attachPageHide(
    target: Pick<Window, 'addEventListener' | 'removeEventListener'> = globalThis as never,
  ): () => void {
    const onHide = () => {
      if ((globalThis as { document?: Document }).document?.visibilityState === 'visible') return;
      this.beacon();
    };
    target.addEventListener('visibilitychange', onHide);
    target.addEventListener('pagehide', onHide);
    return () => {
      target.removeEventListener('visibilitychange', onHide);
      target.removeEventListener('pagehide', onHide);
    };
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.persisted();
  }
}
