import type { BehaviorInsightContext, BehaviorInsightResult } from './behavior-insight-strategy.js';

/**
 * Assigns the user's segment from the context and the scores the insight strategies just
 * produced. Mark with `@RegisterSegmentationStrategy()`; `ai.behavior.segmentation.strategy` picks one.
 */
export interface SegmentationStrategy {
  readonly name: string;
  readonly version: number;
  segment(context: BehaviorInsightContext, results: readonly BehaviorInsightResult[]): BehaviorInsightResult;
}
