import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type {
  BehaviorInsightContext,
  BehaviorInsightResult,
} from '../contracts/behavior-insight-strategy.js';
import type { SegmentationStrategy } from '../contracts/segmentation-strategy.js';
import { RegisterSegmentationStrategy } from './segmentation-strategy.decorator.js';

const DAY = 86_400_000;
export type DefaultSegment = 'dormant' | 'new' | 'super_engaged' | 'active';

/**
 * Thresholds from `ai.behavior.segmentation.thresholds`, checked in this order:
 * dormant (no activity for dormantAfterDays, or none ever), new (first seen within
 * newWithinDays), super_engaged (engagement_score ≥ superEngagedScore), else active.
 */
@RegisterSegmentationStrategy()
@Injectable()
export class ThresholdSegmentationStrategy implements SegmentationStrategy {
  readonly name = 'threshold';
  readonly version = 1;

  constructor(@Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions) {}

  segment(context: BehaviorInsightContext, results: readonly BehaviorInsightResult[]): BehaviorInsightResult {
    const t = this.options.settings.segmentation.thresholds;
    const { features: f, now } = context;
    const score = results.find((r) => r.scores.engagement_score !== undefined)?.scores.engagement_score ?? 0;
    const daysSinceLast = f.lastActivityAt ? (now.getTime() - f.lastActivityAt.getTime()) / DAY : null;
    // Whole UTC days since the first active day: 0 on the first day itself.
    const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
    const daysSinceFirst = f.firstSeenAt ? Math.round((today - f.firstSeenAt.getTime()) / DAY) : null;
    let segment: DefaultSegment;
    let rule: string;
    if (daysSinceLast === null || daysSinceLast >= t.dormantAfterDays) {
      segment = 'dormant';
      rule = `no activity for ${t.dormantAfterDays} days`;
    } else if (daysSinceFirst !== null && daysSinceFirst < t.newWithinDays) {
      segment = 'new';
      rule = `first seen within ${t.newWithinDays} days`;
    } else if (score >= t.superEngagedScore) {
      segment = 'super_engaged';
      rule = `engagement_score >= ${t.superEngagedScore}`;
    } else {
      segment = 'active';
      rule = 'none of the other thresholds';
    }
    return {
      insightType: 'segment',
      scores: { engagement_score: score },
      labels: { segment },
      segment,
      evidence: {
        segment: {
          rule,
          engagement_score: score,
          days_since_last_activity:
            daysSinceLast === null ? null : Math.round(daysSinceLast * 10_000) / 10_000,
          days_since_first_seen: daysSinceFirst,
          thresholds: { ...t },
        },
      },
    };
  }
}
