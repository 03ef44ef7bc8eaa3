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
} from './behavior-event.js';
export { createBehaviorTracker } from './behavior-tracker.js';
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
} from './behavior-tracker.types.js';
export {
  DEFAULT_RETRY_BACKOFF,
  createRetryBackoffPolicy,
  type RetryBackoffOptions,
  type RetryBackoffPolicy,
  type RetryJitter,
} from './retry-backoff.policy.js';
export type { TrackerTimers } from './tracker-timers.js';
export { PERSONALIZATION_METER_NAME, TRACKED_EVENTS_COUNTER_NAME } from './tracked-events.counter.js';
export { BehaviorStoreError, type BehaviorStoreErrorOptions } from './behavior-store.error.js';
export { InMemoryBehaviorStore } from './in-memory-behavior.store.js';
export {
  HTTP_BEHAVIOR_MAX_BATCH_SIZE,
  HttpBehaviorStore,
  SIGNALS_BATCH_PATH,
  type HttpBehaviorStoreOptions,
  type RejectedSignal,
  type SignalItemError,
} from './http-behavior.store.js';
export {
  PERSONALIZATION_SCHEMA_IDS,
  SIGNAL_DEVICES,
  TRACKER_SIGNAL_SOURCE,
  toSignalPayload,
  type BehaviorSignalPayload,
  type SignalAttribute,
} from './behavior-signal.mapper.js';
export { BehaviorAnalyzer, DEFAULT_ANALYZER_THRESHOLDS } from './behavior-analyzer.js';
// The same rules over pre-aggregated tallies, for a server that counts in SQL instead of reading events.
export {
  summarizeInsights,
  type AnalyzerThresholds,
  type BehaviorTallies,
  type InsightsWindow,
} from './insights.analysis.js';
export type { FieldUsageTally } from './field-usage.analysis.js';
export type { WorkflowStepTally } from './workflow-bottleneck.analysis.js';
export type {
  AnalyzeInput,
  BehaviorAnalyzerOptions,
  BehaviorInsights,
  FieldRef,
  FieldUsage,
  LayoutUsage,
  WorkflowBottleneck,
} from './behavior-insights.js';
export {
  OVERLAY_SUGGESTION_SOURCE,
  insightsToOverlaySuggestion,
  type OverlaySuggestionOptions,
} from './overlay-suggestion.adapter.js';
export {
  DEFAULT_WORKFLOW_TWEAKS,
  insightsToWorkflowTweaks,
  type WorkflowTweaksOptions,
} from './workflow-tweaks.adapter.js';
