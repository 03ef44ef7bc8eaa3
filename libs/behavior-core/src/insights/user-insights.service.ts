import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS, CLOCK } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import { BehaviorAnalysisService } from './behavior-analysis.service.js';
import { BehaviorFeaturesRepository } from './behavior-features.repository.js';
import { BehaviorInsightRepository, type StoredInsight } from './behavior-insight.repository.js';

/**
 * Serves stored insights; with `computeOnRead`, a missing or expired one is recomputed
 * for that user on the spot (a new user gets an answer before the next scheduled run).
 * Only users with metrics are computed: a read for an id that never sent a signal stores
 * nothing and answers with what is stored (for such a user, no insights).
 */
@Injectable()
export class UserInsightsService {
  constructor(
    private readonly insights: BehaviorInsightRepository,
    private readonly analysis: BehaviorAnalysisService,
    private readonly features: BehaviorFeaturesRepository,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forUser(tenantId: string, userId: string, insightType?: string): Promise<StoredInsight[]> {
    const stored = await this.insights.forUser(tenantId, userId, insightType);
    if (!this.options.settings.insights.computeOnRead) return stored;
    const now = this.clock.now().getTime();
    const stale = stored.length === 0 || stored.some((i) => Date.parse(i.validUntil) <= now);
    if (!stale || !(await this.features.hasMetrics(tenantId, userId))) return stored;
    const fresh = await this.analysis.analyzeUser(tenantId, userId);
    return insightType ? fresh.filter((i) => i.insightType === insightType) : fresh;
  }
}
