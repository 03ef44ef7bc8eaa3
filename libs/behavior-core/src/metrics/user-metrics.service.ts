import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import type { BehaviorMetricRow } from '../contracts/behavior-insight-strategy.js';
import type { BehaviorMetricType } from '../contracts/behavior-metric-projector.js';

export const MAX_METRIC_ROWS = 10_000;
const DAY = 86_400_000;
const FIRST_DATE = '0001-01-01';

export interface UserMetricsQuery {
  readonly tenantId: string;
  readonly userId: string;
  readonly metricKey?: string;
  readonly startDate?: string;
  readonly endDate?: string;
}

/** Reads precomputed daily metrics (one index range scan on the primary key). */
@Injectable()
export class UserMetricsService {
  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: UserMetricsQuery): Promise<BehaviorMetricRow[]> {
    const end = query.endDate ?? this.clock.now().toISOString().slice(0, 10);
    const defaultStart = new Date(Date.parse(end) - 29 * DAY).toISOString().slice(0, 10);
    // Near year 1 the default window would reach year 0, which PostgreSQL's date type lacks.
    const start = query.startDate ?? (defaultStart < FIRST_DATE ? FIRST_DATE : defaultStart);
    const key = query.metricKey;
    const prefix = key?.endsWith('*') ? key.slice(0, -1) : undefined;
    const { rows } = await this.db.read.query(
      `select metric_key, to_char(metric_date, 'YYYY-MM-DD') as metric_date, metric_value::float8 as metric_value,
              metric_type, attributes
         from behavior_signal_metrics
        where tenant_id = $1 and user_id = $2 and metric_date between $3::date and $4::date
          and ($5::text is null or metric_key = $5)
          and ($6::text is null or starts_with(metric_key, $6))
        order by metric_date, metric_key
        limit ${MAX_METRIC_ROWS}`,
      [query.tenantId, query.userId, start, end, prefix === undefined ? (key ?? null) : null, prefix ?? null],
    );
    return rows.map((r) => ({
      metricKey: r.metric_key,
      metricDate: r.metric_date,
      metricValue: r.metric_value,
      metricType: r.metric_type as BehaviorMetricType,
      attributes: r.attributes,
    }));
  }
}
