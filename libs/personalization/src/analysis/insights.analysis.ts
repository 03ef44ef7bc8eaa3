import type { BehaviorInsights, LayoutUsage } from './behavior-insights.js';
import {
  summarizeFieldUsage,
  type FieldUsageThresholds,
  type FieldUsageTally,
} from './field-usage.analysis.js';
import { summarizeLayoutPreference, type LayoutPreferenceThresholds } from './layout-preference.analysis.js';
import {
  summarizeWorkflowBottlenecks,
  type WorkflowBottleneckThresholds,
  type WorkflowStepTally,
} from './workflow-bottleneck.analysis.js';

export type AnalyzerThresholds = FieldUsageThresholds &
  WorkflowBottleneckThresholds &
  LayoutPreferenceThresholds;

/** What one analysis counted: from events in the analyzer, from a `GROUP BY` on the server. */
export interface BehaviorTallies {
  readonly fields: readonly FieldUsageTally[];
  readonly steps: readonly WorkflowStepTally[];
  readonly layouts: Readonly<LayoutUsage>;
}

/** Who and when an analysis covers; `since` and `until` are epoch milliseconds, both inclusive. */
export interface InsightsWindow {
  readonly tenantId: string;
  readonly userId?: string;
  readonly role?: string;
  readonly since: number;
  readonly until: number;
  readonly windowMs: number;
  /** Base-spec fields per operation, so fields nobody touched are still reported. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
}

/** The one place insights are assembled, so the browser analyzer and the server endpoint agree. */
export function summarizeInsights(
  window: InsightsWindow,
  tallies: BehaviorTallies,
  thresholds: AnalyzerThresholds,
): BehaviorInsights {
  const scope: BehaviorInsights['scope'] = { tenantId: window.tenantId };
  if (window.userId !== undefined) scope.userId = window.userId;
  if (window.role !== undefined) scope.role = window.role;
  return {
    scope,
    window: {
      since: new Date(window.since).toISOString(),
      until: new Date(window.until).toISOString(),
      windowMs: window.windowMs,
    },
    ...summarizeFieldUsage(tallies.fields, window.fields, thresholds),
    workflowBottlenecks: summarizeWorkflowBottlenecks(tallies.steps, thresholds),
    ...summarizeLayoutPreference(tallies.layouts, thresholds),
  };
}
