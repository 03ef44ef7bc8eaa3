import type { Layout } from '../events/behavior-event.js';

export interface BehaviorAnalyzerOptions {
  /** A known field with fewer accesses than this in the window is a hide candidate. Default 2. */
  fieldInactivityThreshold?: number;
  /** Minimum accesses for a field to count as frequently used. Default max(5, fieldInactivityThreshold). */
  frequentFieldThreshold?: number;
  /** At most this many frequent fields per operation. Default 10. */
  maxFrequentFieldsPerOperation?: number;
  /** A step is a bottleneck from this drop rate up. Default 0.5. */
  bottleneckDropRateThreshold?: number;
  /** ...and only with at least this many entries, so two abandoned tries are not a finding. Default 5. */
  minStepEntries?: number;
  /** The preferred layout needs at least this many uses. Default 3. */
  minLayoutEvents?: number;
  /** ...and at least this many times the runner-up's uses (and strictly more). Default 1.5. */
  layoutLeadRatio?: number;
  clock?: () => number;
}

export interface AnalyzeInput {
  tenantId: string;
  /** Absent: tenant-wide. */
  userId?: string;
  role?: string;
  windowMs: number;
  /** Base-spec fields per operation, so fields nobody touched are still reported. */
  fields?: Readonly<Record<string, readonly string[]>>;
  /** End of the window (inclusive). Default: the analyzer's clock. */
  now?: Date | number;
}

export interface FieldRef {
  operation: string;
  field: string;
}

export interface FieldUsage extends FieldRef {
  accesses: number;
}

export interface WorkflowBottleneck {
  workflow: string;
  step: string;
  dropRate: number;
  entered: number;
  completed: number;
}

export type LayoutUsage = Record<Layout, number>;

/** Plain JSON: the server computes the same shape with SQL and returns it from the insights endpoint. */
export interface BehaviorInsights {
  scope: { tenantId: string; userId?: string; role?: string };
  window: { since: string; until: string; windowMs: number };
  unusedFields: FieldRef[];
  suggestedHiddenFields: FieldUsage[];
  frequentlyUsedFields: FieldUsage[];
  workflowBottlenecks: WorkflowBottleneck[];
  layoutPreference: Layout | null;
  layoutUsage: LayoutUsage;
}
