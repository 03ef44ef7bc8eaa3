import type { BehaviorStore } from '../contracts/behavior-store.js';
import type { FeatureUsageEvent, FieldAccessEvent, WorkflowStepEvent } from '../events/behavior-event.js';
import type { AnalyzeInput, BehaviorAnalyzerOptions, BehaviorInsights } from './behavior-insights.js';
import { tallyFieldAccesses } from './field-usage.analysis.js';
import { summarizeInsights, type AnalyzerThresholds } from './insights.analysis.js';
import { tallyLayoutUsage } from './layout-preference.analysis.js';
import { tallyWorkflowSteps } from './workflow-bottleneck.analysis.js';

export const DEFAULT_ANALYZER_THRESHOLDS = {
  fieldInactivityThreshold: 2,
  frequentFieldThreshold: 5,
  maxFrequentFieldsPerOperation: 10,
  bottleneckDropRateThreshold: 0.5,
  minStepEntries: 5,
  minLayoutEvents: 3,
  layoutLeadRatio: 1.5,
} as const;

/**
 * Client-side analysis over a {@link BehaviorStore} that can be queried (e.g. `InMemoryBehaviorStore`).
 * The definitions are documented in docs/personalization.md and kept simple enough for the server to
 * compute the same result with set-based SQL.
 */
export class BehaviorAnalyzer {
  private readonly thresholds: AnalyzerThresholds;
  private readonly clock: () => number;

  constructor(
    private readonly store: BehaviorStore,
    options: BehaviorAnalyzerOptions = {},
  ) {
    const d = DEFAULT_ANALYZER_THRESHOLDS;
    const fieldInactivityThreshold = options.fieldInactivityThreshold ?? d.fieldInactivityThreshold;
    this.thresholds = {
      fieldInactivityThreshold,
      // Never below the inactivity threshold, so no field is both "frequent" and "hide it".
      frequentFieldThreshold:
        options.frequentFieldThreshold ?? Math.max(d.frequentFieldThreshold, fieldInactivityThreshold),
      maxFrequentFieldsPerOperation: options.maxFrequentFieldsPerOperation ?? d.maxFrequentFieldsPerOperation,
      bottleneckDropRateThreshold: options.bottleneckDropRateThreshold ?? d.bottleneckDropRateThreshold,
      minStepEntries: options.minStepEntries ?? d.minStepEntries,
      minLayoutEvents: options.minLayoutEvents ?? d.minLayoutEvents,
      layoutLeadRatio: options.layoutLeadRatio ?? d.layoutLeadRatio,
    };
    const t = this.thresholds;
    if (!(t.fieldInactivityThreshold >= 0)) throw new RangeError('fieldInactivityThreshold must be >= 0');
    if (!(t.frequentFieldThreshold >= Math.max(1, t.fieldInactivityThreshold))) {
      throw new RangeError('frequentFieldThreshold must be >= 1 and >= fieldInactivityThreshold');
    }
    if (!(t.bottleneckDropRateThreshold >= 0 && t.bottleneckDropRateThreshold <= 1)) {
      throw new RangeError('bottleneckDropRateThreshold must be within [0, 1]');
    }
    if (!(t.minStepEntries >= 1) || !(t.minLayoutEvents >= 1) || !(t.layoutLeadRatio >= 1)) {
      throw new RangeError('minStepEntries and minLayoutEvents must be >= 1, layoutLeadRatio >= 1');
    }
    if (!(t.maxFrequentFieldsPerOperation >= 0))
      throw new RangeError('maxFrequentFieldsPerOperation must be >= 0');
    this.clock = options.clock ?? (() => Date.now());
  }

  async analyze(input: AnalyzeInput): Promise<BehaviorInsights> {
    if (!input?.tenantId) throw new TypeError('analyze: tenantId is required');
    if (!(input.windowMs > 0) || !Number.isFinite(input.windowMs)) {
      throw new RangeError('analyze: windowMs must be a positive finite number');
    }
    const until = input.now instanceof Date ? input.now.getTime() : (input.now ?? this.clock());
    const since = until - input.windowMs;
    const events = await this.store.query({
      tenantId: input.tenantId,
      ...(input.userId === undefined ? {} : { userId: input.userId }),
      ...(input.role === undefined ? {} : { role: input.role }),
      since,
      until,
      kinds: ['field_access', 'feature_usage', 'workflow_step'],
    });

    const fieldEvents: FieldAccessEvent[] = [];
    const featureEvents: FeatureUsageEvent[] = [];
    const stepEvents: WorkflowStepEvent[] = [];
    for (const event of events) {
      // Re-checked here because a third-party store may ignore part of the filter.
      if (event.timestamp < since || event.timestamp > until) continue;
      if (event.kind === 'field_access') fieldEvents.push(event);
      else if (event.kind === 'feature_usage') featureEvents.push(event);
      else if (event.kind === 'workflow_step') stepEvents.push(event);
    }

    return summarizeInsights(
      { ...input, since, until },
      {
        fields: tallyFieldAccesses(fieldEvents),
        steps: tallyWorkflowSteps(stepEvents),
        layouts: tallyLayoutUsage(featureEvents),
      },
      this.thresholds,
    );
  }
}
