import type { BehaviorSignal } from './behavior-signal.js';
import type { SignalSchemaDefinition } from './signal-schema.js';

export type BehaviorMetricType = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'distinct';

/** Free-form labels stored with a metric row when it is first created. */
export type MetricAttributes = Readonly<Record<string, unknown>>;

/**
 * What a projector writes to. Every call adds to the metric `key` of the signal's user and
 * UTC day; the projection turns them into exact, crash-safe state (a key keeps one type).
 */
export interface MetricAccumulator {
  count(key: string, by?: number, attributes?: MetricAttributes): void;
  sum(key: string, value: number, attributes?: MetricAttributes): void;
  avg(key: string, value: number, attributes?: MetricAttributes): void;
  min(key: string, value: number, attributes?: MetricAttributes): void;
  max(key: string, value: number, attributes?: MetricAttributes): void;
  /** Counts distinct values per user and day (members are stored, so re-seen values never count twice). */
  distinct(key: string, value: string | number | boolean, attributes?: MetricAttributes): void;
}

/**
 * Turns committed signals into per-user, per-day metrics. Mark the provider with
 * `@RegisterMetricProjector()`; `ai.behavior.metrics.projectors` lists the names to run, in order.
 * `project` must be a pure function of its inputs: replays rely on producing the same output.
 */
export interface BehaviorMetricProjector {
  readonly name: string;
  supports(signal: BehaviorSignal, definition: SignalSchemaDefinition): boolean;
  project(signal: BehaviorSignal, definition: SignalSchemaDefinition, accumulator: MetricAccumulator): void;
}
