import type { Meter } from '@opentelemetry/api';
import type { BehaviorStore } from '../contracts/behavior-store.js';
import type {
  BehaviorContext,
  BehaviorEvent,
  FeatureUsageEvent,
  FieldAccessAction,
  FieldAccessEvent,
  WorkflowStepEvent,
  WorkflowStepStatus,
} from '../events/behavior-event.js';
import type { RetryBackoffOptions } from './retry-backoff.policy.js';
import type { TrackerTimers } from './tracker-timers.js';

export const DEFAULT_MAX_BATCH_SIZE = 25;
/** ~10k small events is a few MB at most: enough for minutes of a backend outage, not enough to hurt a tab. */
export const DEFAULT_MAX_BUFFER_SIZE = 10_000;

/**
 * Why events left the tracker without being stored: `overflow` (buffer full, oldest dropped),
 * `rejected` (the store said the batch can never be accepted), `closed` (still pending when `close()`
 * finished and the final flush failed).
 */
export type BehaviorDropReason = 'overflow' | 'rejected' | 'closed';

export interface BehaviorDropNotice {
  reason: BehaviorDropReason;
  events: BehaviorEvent[];
  error?: unknown;
}

export interface BehaviorTrackerOptions {
  store: BehaviorStore;
  context: BehaviorContext;
  /** Periodic flush; omitted or 0 = only size-triggered and explicit flushes. */
  autoFlushIntervalMs?: number;
  /** Events per `store.append` call and the buffer size that triggers a flush. Default 25. */
  maxBatchSize?: number;
  /** Events kept while the store is failing; the oldest are dropped beyond it. Default 10 000. */
  maxBufferSize?: number;
  retry?: RetryBackoffOptions;
  onDrop?: (notice: BehaviorDropNotice) => void;
  /** Every failed flush attempt, retryable or not. */
  onError?: (error: unknown) => void;
  clock?: () => number;
  timers?: TrackerTimers;
  idGenerator?: () => string;
  /** Defaults to the global OpenTelemetry meter (a no-op without an SDK). */
  meter?: Meter;
}

export interface TrackFieldAccessInput {
  operation: string;
  field: string;
  action?: FieldAccessAction;
}

export interface TrackFeatureUsageInput {
  feature: string;
  action: string;
  metadata?: Record<string, unknown>;
}

export interface TrackWorkflowStepInput {
  workflow: string;
  step: string;
  status: WorkflowStepStatus;
  instanceId?: string;
}

export interface BehaviorTrackerStats {
  /** Buffered plus in flight: everything not yet stored, dropped or rejected. */
  pending: number;
  inFlight: number;
  sent: number;
  dropped: number;
  rejected: number;
  consecutiveFailures: number;
  lastError?: unknown;
  /** Epoch ms of the scheduled retry while backing off. */
  nextRetryAt?: number;
  flushing: boolean;
  closed: boolean;
}

export interface FlushResult {
  /** Events stored by this flush. */
  sent: number;
  /** Events still waiting afterwards (kept for the retry when the flush failed). */
  pending: number;
  /** Set when an attempt failed; `flush()` never rejects, so tracking can never break the host app. */
  error?: unknown;
}

export interface BehaviorTracker {
  trackFieldAccess(input: TrackFieldAccessInput): FieldAccessEvent;
  trackFeatureUsage(input: TrackFeatureUsageInput): FeatureUsageEvent;
  trackWorkflowStep(input: TrackWorkflowStepInput): WorkflowStepEvent;
  /** Sends what is buffered now. Waits for a flush already running; never runs two at once. */
  flush(): Promise<FlushResult>;
  /** Stops the timers and flushes what is left; later `track*` calls are ignored. */
  close(): Promise<FlushResult>;
  stats(): BehaviorTrackerStats;
}
