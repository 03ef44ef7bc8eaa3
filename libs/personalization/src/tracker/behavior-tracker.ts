import type { BehaviorStore } from '../contracts/behavior-store.js';
import {
  FIELD_ACCESS_ACTIONS,
  WORKFLOW_STEP_STATUSES,
  type BehaviorContext,
  type BehaviorEvent,
  type FeatureUsageEvent,
  type FieldAccessEvent,
  type WorkflowStepEvent,
} from '../events/behavior-event.js';
import { isRetryable, retryAfterOf } from '../stores/behavior-store.error.js';
import {
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_BUFFER_SIZE,
  type BehaviorDropReason,
  type BehaviorTracker,
  type BehaviorTrackerOptions,
  type BehaviorTrackerStats,
  type FlushResult,
  type TrackFeatureUsageInput,
  type TrackFieldAccessInput,
  type TrackWorkflowStepInput,
} from './behavior-tracker.types.js';
import { randomEventId } from './event-id.generator.js';
import { createRetryBackoffPolicy, type RetryBackoffPolicy } from './retry-backoff.policy.js';
import { createTrackedEventsCounter, type TrackedEventsCounter } from './tracked-events.counter.js';
import { globalTimers, unrefTimer, type TrackerTimers } from './tracker-timers.js';

export function createBehaviorTracker(options: BehaviorTrackerOptions): BehaviorTracker {
  return new BufferedBehaviorTracker(options);
}

interface QueuedFlush {
  promise: Promise<FlushResult>;
  /** Explicit flushes go out even while backing off; automatic ones wait for the retry timer. */
  force: boolean;
}

class BufferedBehaviorTracker implements BehaviorTracker {
  private readonly store: BehaviorStore;
  private readonly context: BehaviorContext;
  private readonly maxBatchSize: number;
  private readonly maxBufferSize: number;
  private readonly backoff: RetryBackoffPolicy;
  private readonly clock: () => number;
  private readonly timers: TrackerTimers;
  private readonly nextId: () => string;
  private readonly countTracked: TrackedEventsCounter;
  private readonly onDrop?: BehaviorTrackerOptions['onDrop'];
  private readonly onError?: BehaviorTrackerOptions['onError'];

  private buffer: BehaviorEvent[] = [];
  private inFlight: BehaviorEvent[] = [];
  private sent = 0;
  private dropped = 0;
  private rejected = 0;
  private consecutiveFailures = 0;
  private lastError: unknown = undefined;
  private nextRetryAt: number | undefined;
  private retryHandle: unknown = undefined;
  private intervalHandle: unknown = undefined;
  private running = false;
  private queued: QueuedFlush | null = null;
  // Every flush chains on this, which is what guarantees a single flush in flight.
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private closing: Promise<FlushResult> | null = null;

  constructor(options: BehaviorTrackerOptions) {
    if (!options?.store) throw new TypeError('createBehaviorTracker: store is required');
    if (!options.context || !isNonEmpty(options.context.tenantId)) {
      throw new TypeError('createBehaviorTracker: context.tenantId is required');
    }
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) {
      throw new RangeError('createBehaviorTracker: maxBatchSize must be a positive integer');
    }
    if (!Number.isInteger(this.maxBufferSize) || this.maxBufferSize < this.maxBatchSize) {
      throw new RangeError('createBehaviorTracker: maxBufferSize must be an integer >= maxBatchSize');
    }
    const interval = options.autoFlushIntervalMs ?? 0;
    if (!(interval >= 0) || !Number.isFinite(interval)) {
      throw new RangeError('createBehaviorTracker: autoFlushIntervalMs must be a non-negative number');
    }

    this.store = options.store;
    this.context = withoutUndefined({ ...options.context });
    this.backoff = createRetryBackoffPolicy(options.retry);
    this.clock = options.clock ?? (() => Date.now());
    this.timers = options.timers ?? globalTimers();
    this.nextId = options.idGenerator ?? randomEventId;
    this.countTracked = createTrackedEventsCounter(options.meter);
    this.onDrop = options.onDrop;
    this.onError = options.onError;

    if (interval > 0) {
      this.intervalHandle = unrefTimer(
        this.timers.setInterval(() => {
          if (this.buffer.length > 0) void this.schedule(false);
        }, interval),
      );
    }
  }

  trackFieldAccess(input: TrackFieldAccessInput): FieldAccessEvent {
    requireText('operation', input?.operation);
    requireText('field', input.field);
    const action = input.action ?? 'viewed';
    requireOneOf('action', action, FIELD_ACCESS_ACTIONS);
    return this.track({
      ...this.base(),
      kind: 'field_access',
      operation: input.operation,
      field: input.field,
      action,
    });
  }

  trackFeatureUsage(input: TrackFeatureUsageInput): FeatureUsageEvent {
    requireText('feature', input?.feature);
    requireText('action', input.action);
    const event: FeatureUsageEvent = {
      ...this.base(),
      kind: 'feature_usage',
      feature: input.feature,
      action: input.action,
    };
    if (input.metadata !== undefined) event.metadata = { ...input.metadata };
    return this.track(event);
  }

  trackWorkflowStep(input: TrackWorkflowStepInput): WorkflowStepEvent {
    requireText('workflow', input?.workflow);
    requireText('step', input.step);
    requireOneOf('status', input.status, WORKFLOW_STEP_STATUSES);
    const event: WorkflowStepEvent = {
      ...this.base(),
      kind: 'workflow_step',
      workflow: input.workflow,
      step: input.step,
      status: input.status,
    };
    if (input.instanceId !== undefined) {
      requireText('instanceId', input.instanceId);
      event.instanceId = input.instanceId;
    }
    return this.track(event);
  }

  flush(): Promise<FlushResult> {
    return this.schedule(true);
  }

  close(): Promise<FlushResult> {
    if (this.closing) return this.closing;
    this.closed = true;
    if (this.intervalHandle !== undefined) this.timers.clearInterval(this.intervalHandle);
    this.intervalHandle = undefined;
    this.clearRetry();
    this.closing = this.schedule(true).then((result) => {
      // Nothing will ever retry after close, so leftovers are reported as lost rather than kept silently.
      const left = this.buffer.splice(0);
      if (left.length > 0) {
        this.dropped += left.length;
        this.notifyDrop('closed', left, result.error);
      }
      return {
        sent: result.sent,
        pending: left.length,
        ...(result.error === undefined ? {} : { error: result.error }),
      };
    });
    return this.closing;
  }

  stats(): BehaviorTrackerStats {
    const stats: BehaviorTrackerStats = {
      pending: this.buffer.length + this.inFlight.length,
      inFlight: this.inFlight.length,
      sent: this.sent,
      dropped: this.dropped,
      rejected: this.rejected,
      consecutiveFailures: this.consecutiveFailures,
      flushing: this.running || this.queued !== null,
      closed: this.closed,
    };
    if (this.lastError !== undefined) stats.lastError = this.lastError;
    if (this.nextRetryAt !== undefined) stats.nextRetryAt = this.nextRetryAt;
    return stats;
  }

  private base() {
    return { id: this.nextId(), timestamp: this.clock(), ...this.context };
  }

  private track<E extends BehaviorEvent>(event: E): E {
    if (this.closed) return event;
    this.countTracked(event.kind);
    this.buffer.push(event);
    this.enforceBound();
    if (this.buffer.length >= this.maxBatchSize) void this.schedule(false);
    return event;
  }

  private enforceBound(): void {
    const over = this.buffer.length + this.inFlight.length - this.maxBufferSize;
    if (over <= 0) return;
    // In-flight events are never dropped here: their fate is decided by the running append.
    const oldest = this.buffer.splice(0, Math.min(over, this.buffer.length));
    this.dropped += oldest.length;
    this.notifyDrop('overflow', oldest);
  }

  private schedule(force: boolean): Promise<FlushResult> {
    if (this.queued) {
      this.queued.force ||= force;
      return this.queued.promise;
    }
    const entry: QueuedFlush = { force, promise: undefined as unknown as Promise<FlushResult> };
    entry.promise = this.tail.then(() => {
      this.queued = null;
      if (!entry.force && this.retryHandle !== undefined) return { sent: 0, pending: this.pendingCount() };
      return this.drain();
    });
    this.queued = entry;
    this.tail = entry.promise.catch(() => undefined);
    return entry.promise;
  }

  private async drain(): Promise<FlushResult> {
    this.clearRetry();
    this.running = true;
    let sent = 0;
    let lastError: unknown = undefined;
    // Only what is buffered now: a steady stream of new events must not keep one flush going forever.
    let budget = this.buffer.length;
    try {
      while (budget > 0 && this.buffer.length > 0) {
        const batch = this.buffer.splice(0, Math.min(this.maxBatchSize, budget));
        budget -= batch.length;
        this.inFlight = batch;
        let failed = false;
        try {
          await this.store.append(batch);
        } catch (error) {
          failed = true;
          lastError = error;
        }
        this.inFlight = [];
        if (failed) {
          this.recordError(lastError);
          if (isRetryable(lastError)) {
            this.buffer = batch.concat(this.buffer);
            this.consecutiveFailures += 1;
            if (!this.closed) this.scheduleRetry(lastError);
            break;
          }
          this.rejected += batch.length;
          this.notifyDrop('rejected', batch, lastError);
          continue;
        }
        sent += batch.length;
        this.sent += batch.length;
        this.consecutiveFailures = 0;
      }
    } finally {
      this.running = false;
    }
    const result: FlushResult = { sent, pending: this.pendingCount() };
    if (lastError !== undefined) result.error = lastError;
    return result;
  }

  private scheduleRetry(error: unknown): void {
    const backoff = this.backoff.delayFor(this.consecutiveFailures - 1);
    // Retry-After is the server's floor; it may exceed maxDelayMs, the server knows its own load best.
    const delay = Math.max(backoff, retryAfterOf(error) ?? 0);
    this.nextRetryAt = this.clock() + delay;
    this.retryHandle = unrefTimer(
      this.timers.setTimeout(() => {
        this.retryHandle = undefined;
        this.nextRetryAt = undefined;
        void this.schedule(true);
      }, delay),
    );
  }

  private clearRetry(): void {
    if (this.retryHandle !== undefined) this.timers.clearTimeout(this.retryHandle);
    this.retryHandle = undefined;
    this.nextRetryAt = undefined;
  }

  private pendingCount(): number {
    return this.buffer.length + this.inFlight.length;
  }

  private recordError(error: unknown): void {
    this.lastError = error;
    safely(() => this.onError?.(error));
  }

  private notifyDrop(reason: BehaviorDropReason, events: BehaviorEvent[], error?: unknown): void {
    safely(() => this.onDrop?.({ reason, events, ...(error === undefined ? {} : { error }) }));
  }
}

/** A throwing callback of the host app must not corrupt the tracker's state. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // deliberately ignored, see above
  }
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function requireText(name: string, value: unknown): void {
  if (!isNonEmpty(value)) throw new TypeError(`behavior tracker: ${name} must be a non-empty string`);
}

function requireOneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new TypeError(`behavior tracker: ${name} must be one of ${allowed.join(', ')}`);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
