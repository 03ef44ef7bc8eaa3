import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { BehaviorInsightStrategy } from '../contracts/behavior-insight-strategy.js';
import type { SegmentationStrategy } from '../contracts/segmentation-strategy.js';
import { collectNamedExtensions } from '../nest/named-extensions.js';
import { RegisterSegmentationStrategy } from '../segmentation/segmentation-strategy.decorator.js';
import { RegisterInsightStrategy } from './insight-strategy.decorator.js';

/** Insight strategies in the order of `ai.behavior.insights.strategies`, and the configured segmentation strategy. */
@Injectable()
export class InsightStrategyRegistry implements OnModuleInit {
  private strategies: BehaviorInsightStrategy[] = [];
  private segmenter!: SegmentationStrategy;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  onModuleInit(): void {
    const logger = new Logger('InsightStrategyRegistry');
    const { settings } = this.options;
    this.strategies = collectNamedExtensions<BehaviorInsightStrategy>(
      this.discovery,
      RegisterInsightStrategy,
      'insight strategy',
      'ai.behavior.insights.strategies',
      settings.insights.strategies,
      logger,
    ).active;
    [this.segmenter] = collectNamedExtensions<SegmentationStrategy>(
      this.discovery,
      RegisterSegmentationStrategy,
      'segmentation strategy',
      'ai.behavior.segmentation.strategy',
      [settings.segmentation.strategy],
      logger,
    ).active;
  }

  insightStrategies(): readonly BehaviorInsightStrategy[] {
    return this.strategies;
  }

  segmentation(): SegmentationStrategy {
    return this.segmenter;
  }

  /** Stored with every insight: which formulas produced it. */
  analysisVersion(): string {
    return [...this.strategies, this.segmenter].map((s) => `${s.name}@${s.version}`).join(',');
  }
}
