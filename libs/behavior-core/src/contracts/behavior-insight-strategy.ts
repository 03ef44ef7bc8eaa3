import type { BehaviorSignal } from './behavior-signal.js';
import type { BehaviorMetricType } from './behavior-metric-projector.js';
import type { SignalSchemaDefinition } from './signal-schema.js';

/** One stored daily metric of the user. */
export interface BehaviorMetricRow {
  readonly metricKey: string;
  /** YYYY-MM-DD (UTC day) */
  readonly metricDate: string;
  readonly metricValue: number;
  readonly metricType: BehaviorMetricType;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * Per-user features computed set-based in SQL from the engagement metrics over the
 * analysis window (one statement for many users); strategies read them instead of
 * re-aggregating metrics one user at a time.
 */
export interface BehaviorUserFeatures {
  readonly signals: number;
  readonly activeDays: number;
  readonly dwellSeconds: number;
  /** Latest activity ever seen (not only in the window); null when none. */
  readonly lastActivityAt: Date | null;
  /** First day with activity ever seen; null when none. */
  readonly firstSeenAt: Date | null;
  /** Per schema: signals in the window and the recency-weighted use. */
  readonly schemaUse: Readonly<Record<string, { readonly signals: number; readonly weighted: number }>>;
}

export interface BehaviorInsightContext {
  readonly tenantId: string;
  readonly userId: string;
  readonly now: Date;
  readonly windowDays: number;
  readonly features: BehaviorUserFeatures;
  /** Daily metrics over the window; loaded only when a strategy sets `requires.metrics`. */
  readonly metrics: readonly BehaviorMetricRow[];
  /** Newest first, at most the largest `requires.recentSignals`; loaded only when asked for. */
  readonly recentSignals: readonly BehaviorSignal[];
  readonly schemas: readonly SignalSchemaDefinition[];
}

export interface BehaviorInsightResult {
  readonly insightType: string;
  /** snake_case score names; engagement scores lie in [0, 1]. */
  readonly scores: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, unknown>>;
  readonly segment?: string | null;
  /** The numbers behind each score, by score name. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface InsightRequirements {
  readonly metrics?: boolean;
  /** How many recent signals per user (capped at 200). */
  readonly recentSignals?: number;
}

/**
 * Scores a user. Mark with `@RegisterInsightStrategy()`; `ai.behavior.insights.strategies`
 * names the ones to run, in order. Called in memory over chunks of users, so it must not query.
 */
export interface BehaviorInsightStrategy {
  readonly name: string;
  /** Bumped when the formulas change; stored as part of `analysis_version`. */
  readonly version: number;
  readonly requires?: InsightRequirements;
  analyze(context: BehaviorInsightContext): BehaviorInsightResult;
}
