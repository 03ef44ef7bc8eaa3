import { Injectable } from '@nestjs/common';
import type {
  BehaviorInsightContext,
  BehaviorInsightResult,
  BehaviorInsightStrategy,
} from '../contracts/behavior-insight-strategy.js';
import { RegisterInsightStrategy } from './insight-strategy.decorator.js';

const DAY = 86_400_000;
/** Signals per active day that count as full interaction density. */
export const DENSITY_TARGET = 20;
/** Dwell seconds per active day that count as full dwell. */
export const DWELL_TARGET_SECONDS = 600;
export const ENGAGEMENT_WEIGHTS = { activity: 0.35, density: 0.25, recency: 0.25, dwell: 0.15 } as const;
const PREFERRED_SCHEMAS = 3;

/** The default insight: engagement_score, interaction_density, recency_index, preferred_schemas (docs/insights.md). */
@RegisterInsightStrategy()
@Injectable()
export class EngagementInsightStrategy implements BehaviorInsightStrategy {
  readonly name = 'engagement';
  readonly version = 1;

  analyze(context: BehaviorInsightContext): BehaviorInsightResult {
    const { features: f, windowDays: w, now } = context;
    const activityRatio = clamp(f.activeDays / w);
    const signalsPerActiveDay = f.signals / Math.max(1, f.activeDays);
    const interactionDensity = clamp(signalsPerActiveDay / DENSITY_TARGET);
    const daysSinceLast = f.lastActivityAt
      ? Math.max(0, (now.getTime() - f.lastActivityAt.getTime()) / DAY)
      : null;
    const recencyIndex = daysSinceLast === null ? 0 : clamp(1 - daysSinceLast / w);
    const dwellPerActiveDay = f.dwellSeconds / Math.max(1, f.activeDays);
    const dwellFactor = clamp(dwellPerActiveDay / DWELL_TARGET_SECONDS);
    const engagementScore = clamp(
      ENGAGEMENT_WEIGHTS.activity * activityRatio +
        ENGAGEMENT_WEIGHTS.density * interactionDensity +
        ENGAGEMENT_WEIGHTS.recency * recencyIndex +
        ENGAGEMENT_WEIGHTS.dwell * dwellFactor,
    );
    const preferred = Object.entries(f.schemaUse)
      .map(([schemaId, use]) => ({ schemaId, signals: use.signals, weighted: round(use.weighted) }))
      .sort((a, b) => b.weighted - a.weighted || b.signals - a.signals || (a.schemaId < b.schemaId ? -1 : 1))
      .slice(0, PREFERRED_SCHEMAS);
    const score = round(engagementScore);
    return {
      insightType: 'engagement',
      scores: {
        engagement_score: score,
        interaction_density: round(interactionDensity),
        recency_index: round(recencyIndex),
      },
      labels: {
        preferred_schemas: preferred.map((p) => p.schemaId),
        engagement_level: score >= 0.66 ? 'high' : score >= 0.33 ? 'medium' : 'low',
      },
      evidence: {
        engagement_score: {
          activity_ratio: round(activityRatio),
          interaction_density: round(interactionDensity),
          recency_index: round(recencyIndex),
          dwell_factor: round(dwellFactor),
          weights: ENGAGEMENT_WEIGHTS,
        },
        interaction_density: {
          signals: f.signals,
          active_days: f.activeDays,
          signals_per_active_day: round(signalsPerActiveDay),
          target: DENSITY_TARGET,
        },
        recency_index: {
          last_activity_at: f.lastActivityAt?.toISOString() ?? null,
          days_since_last_activity: daysSinceLast === null ? null : round(daysSinceLast),
          window_days: w,
        },
        dwell_factor: {
          dwell_seconds: round(f.dwellSeconds),
          dwell_seconds_per_active_day: round(dwellPerActiveDay),
          target: DWELL_TARGET_SECONDS,
        },
        preferred_schemas: preferred,
      },
    };
  }
}

function clamp(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Four decimals, so stored scores are stable and readable. */
export function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
