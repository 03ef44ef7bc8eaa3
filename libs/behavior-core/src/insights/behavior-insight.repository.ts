import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type { BehaviorInsightResult } from '../contracts/behavior-insight-strategy.js';

export interface StoredInsight extends BehaviorInsightResult {
  readonly tenantId: string;
  readonly userId: string;
  readonly segment: string | null;
  readonly analyzedAt: string;
  readonly validUntil: string;
  readonly analysisVersion: string;
}

export interface InsightWrite {
  readonly tenantId: string;
  readonly userId: string;
  readonly result: BehaviorInsightResult;
}

/** behavior_insights: one multi-row upsert per chunk, one primary-key range read per user. */
@Injectable()
export class BehaviorInsightRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  async upsert(
    writes: readonly InsightWrite[],
    analyzedAt: Date,
    validUntil: Date,
    analysisVersion: string,
  ): Promise<void> {
    if (writes.length === 0) return;
    await this.db.background.query(
      `insert into behavior_insights as i
         (tenant_id, user_id, insight_type, scores, labels, segment, evidence, analyzed_at, valid_until, analysis_version)
       select t.*, $8::timestamptz, $9::timestamptz, $10::text
         from unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::text[], $7::jsonb[]) as t
       on conflict (tenant_id, user_id, insight_type) do update set
         scores = excluded.scores, labels = excluded.labels, segment = excluded.segment,
         evidence = excluded.evidence, analyzed_at = excluded.analyzed_at,
         valid_until = excluded.valid_until, analysis_version = excluded.analysis_version`,
      [
        writes.map((w) => w.tenantId),
        writes.map((w) => w.userId),
        writes.map((w) => w.result.insightType),
        writes.map((w) => JSON.stringify(w.result.scores)),
        writes.map((w) => JSON.stringify(w.result.labels)),
        writes.map((w) => w.result.segment ?? null),
        writes.map((w) => JSON.stringify(w.result.evidence)),
        analyzedAt,
        validUntil,
        analysisVersion,
      ],
    );
  }

  async forUser(tenantId: string, userId: string, insightType?: string): Promise<StoredInsight[]> {
    const { rows } = await this.db.background.query(
      `select insight_type, scores, labels, segment, evidence, analyzed_at, valid_until, analysis_version
         from behavior_insights
        where tenant_id = $1 and user_id = $2 and ($3::text is null or insight_type = $3)
        order by insight_type`,
      [tenantId, userId, insightType ?? null],
    );
    return rows.map((r) => ({
      tenantId,
      userId,
      insightType: r.insight_type,
      scores: r.scores,
      labels: r.labels,
      segment: r.segment,
      evidence: r.evidence,
      analyzedAt: (r.analyzed_at as Date).toISOString(),
      validUntil: (r.valid_until as Date).toISOString(),
      analysisVersion: r.analysis_version,
    }));
  }
}
