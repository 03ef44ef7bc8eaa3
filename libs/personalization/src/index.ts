// Framework-free: nothing here may import Nest or Node-only modules (it runs in browsers too).
export type { BehaviorQuery, BehaviorStore } from './contracts/behavior-store.js';
export {
  BEHAVIOR_EVENT_KINDS,
  FIELD_ACCESS_ACTIONS,
  LAYOUTS,
  WORKFLOW_STEP_STATUSES,
  isLayout,
  type BehaviorContext,
  type BehaviorEvent,
  type BehaviorEventKind,
  type FeatureUsageEvent,
  type FieldAccessAction,
  type FieldAccessEvent,
  type Layout,
  type WorkflowStepEvent,
  type WorkflowStepStatus,
} from './events/behavior-event.js';
export { createBehaviorTracker } from './tracker/behavior-tracker.js';
export { createPersonalizationTracker } from './tracker/personalization-tracker.factory.js';
export { TrackerBehaviorStore } from './stores/tracker-behavior.store.js';
export {
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_BUFFER_SIZE,
  type BehaviorDropNotice,
  type BehaviorDropReason,
  type BehaviorTracker,
  type BehaviorTrackerOptions,
  type BehaviorTrackerStats,
  type FlushResult,
  type TrackFeatureUsageInput,
  type TrackFieldAccessInput,
  type TrackWorkflowStepInput,
} from './tracker/behavior-tracker.types.js';
export {
  DEFAULT_RETRY_BACKOFF,
  createRetryBackoffPolicy,
  type RetryBackoffOptions,
  type RetryBackoffPolicy,
  type RetryJitter,
} from './tracker/retry-backoff.policy.js';
export type { TrackerTimers } from './tracker/tracker-timers.js';
export { PERSONALIZATION_METER_NAME, TRACKED_EVENTS_COUNTER_NAME } from './tracker/tracked-events.counter.js';
export { BehaviorStoreError, type BehaviorStoreErrorOptions } from './stores/behavior-store.error.js';
export { InMemoryBehaviorStore } from './stores/in-memory-behavior.store.js';
export {
  HTTP_BEHAVIOR_MAX_BATCH_SIZE,
  HttpBehaviorStore,
  SIGNALS_BATCH_PATH,
  type HttpBehaviorStoreOptions,
  type RejectedSignal,
  type SignalItemError,
} from './stores/http-behavior.store.js';
export {
  PERSONALIZATION_SCHEMA_IDS,
  SIGNAL_DEVICES,
  TRACKER_SIGNAL_SOURCE,
  toSignalPayload,
  type BehaviorSignalPayload,
  type SignalAttribute,
} from './stores/behavior-signal.mapper.js';
export { BehaviorAnalyzer, DEFAULT_ANALYZER_THRESHOLDS } from './analysis/behavior-analyzer.js';
// The same rules over pre-aggregated tallies, for a server that counts in SQL instead of reading events.
export {
  summarizeInsights,
  type AnalyzerThresholds,
  type BehaviorTallies,
  type InsightsWindow,
} from './analysis/insights.analysis.js';
export type { FieldUsageTally } from './analysis/field-usage.analysis.js';
export type { WorkflowStepTally } from './analysis/workflow-bottleneck.analysis.js';
export type {
  AnalyzeInput,
  BehaviorAnalyzerOptions,
  BehaviorInsights,
  FieldRef,
  FieldUsage,
  LayoutUsage,
  WorkflowBottleneck,
} from './analysis/behavior-insights.js';
export {
  OVERLAY_SUGGESTION_SOURCE,
  insightsToOverlaySuggestion,
  type OverlaySuggestionOptions,
} from './adapters/overlay-suggestion.adapter.js';
export {
  DEFAULT_WORKFLOW_TWEAKS,
  insightsToWorkflowTweaks,
  type WorkflowTweaksOptions,
} from './adapters/workflow-tweaks.adapter.js';
