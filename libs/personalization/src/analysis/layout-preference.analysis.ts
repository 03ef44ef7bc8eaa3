import { LAYOUTS, isLayout, type FeatureUsageEvent, type Layout } from '../events/behavior-event.js';
import type { LayoutUsage } from './behavior-insights.js';

export interface LayoutPreferenceThresholds {
  minLayoutEvents: number;
  layoutLeadRatio: number;
}

/**
 * Counts feature-usage events whose `metadata.layout` is `table`, `cards` or `list`. The most used
 * layout wins when it has at least `minLayoutEvents` uses, strictly more than the runner-up, and at least
 * `layoutLeadRatio` times the runner-up's count; otherwise there is no clear preference (`null`).
 */
export function analyzeLayoutPreference(
  events: readonly FeatureUsageEvent[],
  thresholds: LayoutPreferenceThresholds,
): { layoutPreference: Layout | null; layoutUsage: LayoutUsage } {
  return summarizeLayoutPreference(tallyLayoutUsage(events), thresholds);
}

export function tallyLayoutUsage(events: readonly FeatureUsageEvent[]): LayoutUsage {
  const layoutUsage: LayoutUsage = { table: 0, cards: 0, list: 0 };
  for (const event of events) {
    const layout = event.metadata?.layout;
    if (isLayout(layout)) layoutUsage[layout] += 1;
  }
  return layoutUsage;
}

/** The preference rule over per-layout counts (the server gets them from a `GROUP BY`). */
export function summarizeLayoutPreference(
  usage: Readonly<LayoutUsage>,
  thresholds: LayoutPreferenceThresholds,
): { layoutPreference: Layout | null; layoutUsage: LayoutUsage } {
  const layoutUsage: LayoutUsage = { table: usage.table, cards: usage.cards, list: usage.list };
  const ranked = [...LAYOUTS].sort((a, b) => layoutUsage[b] - layoutUsage[a]);
  const top = layoutUsage[ranked[0]!];
  const runnerUp = layoutUsage[ranked[1]!];
  const clear =
    top >= thresholds.minLayoutEvents && top > runnerUp && top >= thresholds.layoutLeadRatio * runnerUp;
  return { layoutPreference: clear ? ranked[0]! : null, layoutUsage };
}
