import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  RegisterSegmentationStrategy,
  type BehaviorInsightContext,
  type BehaviorInsightResult,
  type SegmentationStrategy,
} from '@lssm/behavior-core';
import { COMMERCE_OPTIONS } from '../behavior-commerce.tokens.js';
import type { CommerceOptions } from '../contracts/commerce-options.js';
import {
  baseCurrencyTotals,
  churnRisk,
  meetsVip,
  round,
  windowFigures,
} from '../insights/commerce-window.figures.js';

export type CommerceSegment = 'VIP' | 'at_risk' | 'needs_nurturing';

/**
 * Checked in order: VIP (orders and base-currency revenue in the window), at_risk (a buyer whose
 * commerce activity dropped), needs_nurturing (browsed or carted, never bought); anyone else gets
 * the segment of the fallback strategy (`segmentation.fallback`, the core `threshold` by default).
 */
@RegisterSegmentationStrategy()
@Injectable()
export class CommerceSegmentationStrategy implements SegmentationStrategy, OnModuleInit {
  readonly name = 'commerce';
  readonly version = 1;
  private fallback!: SegmentationStrategy;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(COMMERCE_OPTIONS) private readonly options: CommerceOptions,
  ) {}

  onModuleInit(): void {
    const wanted = this.options.segmentation.fallback;
    const found = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as Partial<SegmentationStrategy> | undefined)
      .find(
        (instance): instance is SegmentationStrategy =>
          !!instance &&
          instance !== this &&
          typeof instance === 'object' &&
          Reflect.getMetadata(RegisterSegmentationStrategy.KEY, instance.constructor) !== undefined &&
          instance.name === wanted,
      );
    if (!found) {
      throw new Error(
        `ai.behavior.addOns.commerce.segmentation.fallback names "${wanted}", which is no registered segmentation strategy`,
      );
    }
    this.fallback = found;
  }

  segment(context: BehaviorInsightContext, results: readonly BehaviorInsightResult[]): BehaviorInsightResult {
    const base = this.fallback.segment(context, results);
    const s = this.options.segmentation;
    const w = windowFigures(context.metrics, context.now);
    const revenue = baseCurrencyTotals(w, this.options).revenue;
    const churn = churnRisk(w.activity);
    let segment: CommerceSegment | null = null;
    let rule = '';
    if (meetsVip(w.purchases, revenue, this.options)) {
      segment = 'VIP';
      rule = `purchases >= ${s.vip.minPurchases} and revenue >= ${s.vip.minRevenue} ${this.options.currency}`;
    } else if (churn >= s.atRisk.minChurnRisk && w.purchases >= s.atRisk.minPurchases) {
      segment = 'at_risk';
      rule = `churn_risk >= ${s.atRisk.minChurnRisk} and purchases >= ${s.atRisk.minPurchases}`;
    } else if (w.purchases === 0 && w.productViews + w.cartAdds >= s.needsNurturing.minInteractions) {
      segment = 'needs_nurturing';
      rule = `no purchase and product views + cart adds >= ${s.needsNurturing.minInteractions}`;
    }
    if (segment === null) return base;
    return {
      insightType: 'segment',
      scores: base.scores,
      labels: { ...base.labels, segment },
      segment,
      evidence: {
        ...base.evidence,
        segment: {
          rule,
          strategy: this.name,
          purchases: w.purchases,
          revenue: round(revenue, 2),
          churn_risk: round(churn),
          product_views: w.productViews,
          cart_adds: w.cartAdds,
          fallback_segment: base.segment ?? null,
        },
      },
    };
  }
}
