import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS, CLOCK, SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from '../contracts/behavior-core-options.js';
import type {
  BehaviorInsightContext,
  BehaviorInsightResult,
  BehaviorUserFeatures,
} from '../contracts/behavior-insight-strategy.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { BehaviorFeaturesRepository, userKey, type UserScope } from './behavior-features.repository.js';
import {
  BehaviorInsightRepository,
  type InsightWrite,
  type StoredInsight,
} from './behavior-insight.repository.js';
import { InsightStrategyRegistry } from './insight-strategy.registry.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';

export const ANALYSIS_CHUNK = 5000;
const MAX_RECENT_SIGNALS = 200;

export interface AnalysisRunResult {
  readonly users: number;
  readonly insights: number;
  readonly segments: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

/**
 * Runs the insight strategies (configured order) and then the segmentation strategy over
 * chunks of users: features for a chunk come from one SQL statement, the strategies run in
 * memory, and the chunk's insights are written with one multi-row upsert. The segment is
 * merged into every result of the user, so each stored insight carries it.
 */
@Injectable()
export class BehaviorAnalysisService {
  constructor(
    private readonly features: BehaviorFeaturesRepository,
    private readonly insights: BehaviorInsightRepository,
    private readonly registry: InsightStrategyRegistry,
    @Inject(SCHEMA_REGISTRY) private readonly schemas: SchemaRegistry,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly telemetry: BehaviorTelemetry,
  ) {}

  async analyzeScope(scope: UserScope, chunkSize = ANALYSIS_CHUNK): Promise<AnalysisRunResult> {
    const started = performance.now();
    const now = this.clock.now();
    const window = {
      today: now.toISOString().slice(0, 10),
      windowDays: this.options.settings.insights.windowDays,
    };
    const segments: Record<string, number> = {};
    let users = 0;
    let written = 0;
    let after: { tenantId: string; userId: string } | null = null;
    for (;;) {
      const chunk = await this.features.chunk(scope, window, after, chunkSize);
      if (chunk.length === 0) break;
      const writes = await this.analyzeChunk(chunk, now);
      await this.store(writes, now);
      for (const w of writes)
        if (w.result.insightType === 'segment' && w.result.segment) {
          segments[w.result.segment] = (segments[w.result.segment] ?? 0) + 1;
        }
      users += chunk.length;
      written += writes.length;
      const last = chunk[chunk.length - 1];
      after = { tenantId: last.tenantId, userId: last.userId };
      if (chunk.length < chunkSize) break;
    }
    return { users, insights: written, segments, durationMs: Math.round(performance.now() - started) };
  }

  /** Recomputes and stores one user's insights now (compute-on-read); returns what was stored. */
  async analyzeUser(tenantId: string, userId: string): Promise<StoredInsight[]> {
    await this.analyzeScope({ kind: 'users', users: [{ tenantId, userId }] }, 1);
    return this.insights.forUser(tenantId, userId);
  }

  /** Runs every strategy over in-memory feature rows (no queries beyond the optional context loads). */
  async analyzeChunk(
    chunk: readonly { tenantId: string; userId: string; features: BehaviorUserFeatures }[],
    now: Date,
  ): Promise<InsightWrite[]> {
    const strategies = this.registry.insightStrategies();
    const segmenter = this.registry.segmentation();
    const windowDays = this.options.settings.insights.windowDays;
    const window = { today: now.toISOString().slice(0, 10), windowDays };
    const needMetrics = strategies.some((s) => s.requires?.metrics);
    const signalLimit = Math.min(
      MAX_RECENT_SIGNALS,
      Math.max(0, ...strategies.map((s) => s.requires?.recentSignals ?? 0)),
    );
    const [metricsByUser, signalsByUser] = await Promise.all([
      needMetrics ? this.features.windowMetrics(chunk, window) : undefined,
      signalLimit > 0 ? this.features.recentSignals(chunk, signalLimit) : undefined,
    ]);
    const schemas = this.schemas.list();
    const contexts: BehaviorInsightContext[] = chunk.map((row) => ({
      tenantId: row.tenantId,
      userId: row.userId,
      now,
      windowDays,
      features: row.features,
      metrics: metricsByUser?.get(userKey(row.tenantId, row.userId)) ?? [],
      recentSignals: signalsByUser?.get(userKey(row.tenantId, row.userId)) ?? [],
      schemas,
    }));
    const results: BehaviorInsightResult[][] = contexts.map(() => []);
    for (const strategy of strategies) {
      const t0 = performance.now();
      contexts.forEach((context, i) => results[i].push(strategy.analyze(context)));
      this.telemetry.strategyRan(strategy.name, performance.now() - t0);
    }
    const t0 = performance.now();
    const writes: InsightWrite[] = [];
    contexts.forEach((context, i) => {
      const segment = segmenter.segment(context, results[i]);
      for (const result of this.merge(results[i], segment)) {
        writes.push({ tenantId: context.tenantId, userId: context.userId, result });
      }
    });
    this.telemetry.strategyRan(segmenter.name, performance.now() - t0);
    return writes;
  }

  /** The segment decided by the segmentation strategy wins over any a strategy proposed. */
  merge(results: readonly BehaviorInsightResult[], segment: BehaviorInsightResult): BehaviorInsightResult[] {
    const byType = new Map<string, BehaviorInsightResult>();
    for (const r of [...results, segment]) {
      const previous = byType.get(r.insightType);
      byType.set(
        r.insightType,
        previous
          ? {
              insightType: r.insightType,
              scores: { ...previous.scores, ...r.scores },
              labels: { ...previous.labels, ...r.labels },
              evidence: { ...previous.evidence, ...r.evidence },
            }
          : r,
      );
    }
    return [...byType.values()].map((r) => ({ ...r, segment: segment.segment ?? r.segment ?? null }));
  }

  private store(writes: readonly InsightWrite[], now: Date): Promise<void> {
    const ttl = this.options.settings.insights.ttlMinutes * 60_000;
    return this.insights.upsert(writes, now, new Date(now.getTime() + ttl), this.registry.analysisVersion());
  }
}
