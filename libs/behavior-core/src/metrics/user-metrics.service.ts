import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '../behavior-core.tokens.js';
import type { Clock } from '../contracts/behavior-core-options.js';
import type { BehaviorMetricRow } from '../contracts/behavior-insight-strategy.js';
import { MetricRepository } from './metric.repository.js';

const DAY = 86_400_000;
const FIRST_DATE = '0001-01-01';

export interface UserMetricsQuery {
  readonly tenantId: string;
  readonly userId: string;
  /** One key, or a prefix when it ends with `*`. */
  readonly metricKey?: string;
  readonly startDate?: string;
  readonly endDate?: string;
}

/** A user's precomputed daily metrics; the window defaults to the 30 days up to today. */
@Injectable()
export class UserMetricsService {
  constructor(
    private readonly metrics: MetricRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(query: UserMetricsQuery): Promise<BehaviorMetricRow[]> {
    const end = query.endDate ?? this.clock.now().toISOString().slice(0, 10);
    const defaultStart = new Date(Date.parse(end) - 29 * DAY).toISOString().slice(0, 10);
    // Near year 1 the default window would reach year 0, which PostgreSQL's date type lacks.
    const start = query.startDate ?? (defaultStart < FIRST_DATE ? FIRST_DATE : defaultStart);
    const key = query.metricKey;
    const prefix = key?.endsWith('*') ? key.slice(0, -1) : undefined;
    return this.metrics.listForUser({
      tenantId: query.tenantId,
      userId: query.userId,
      startDate: start,
      endDate: end,
      metricKey: prefix === undefined ? key : undefined,
      metricKeyPrefix: prefix,
    });
  }
}
