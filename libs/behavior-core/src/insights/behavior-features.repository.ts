import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import type { BehaviorMetricRow, BehaviorUserFeatures } from '../contracts/behavior-insight-strategy.js';
import type { BehaviorMetricType } from '../contracts/behavior-metric-projector.js';
import { ENGAGEMENT_KEYS } from '../metrics/engagement-metric-keys.js';
import { SIGNAL_COLUMNS, toBehaviorSignal, type SignalRow } from '../storage/signal-row.js';

/** Which users a run covers: everyone, users whose metrics changed in a time span, or listed users. */
export type UserScope =
  | { readonly kind: 'all'; readonly tenantId?: string }
  | { readonly kind: 'changed'; readonly since: Date; readonly tenantId?: string }
  | { readonly kind: 'users'; readonly users: readonly { tenantId: string; userId: string }[] };

export interface UserFeatureRow {
  readonly tenantId: string;
  readonly userId: string;
  readonly features: BehaviorUserFeatures;
}

export interface FeatureWindow {
  /** The UTC day the window ends on (inclusive). */
  readonly today: string;
  readonly windowDays: number;
}

const SCOPE_SQL: Record<UserScope['kind'], string> = {
  all: `select tenant_id, user_id from behavior_metric_days
         where ($1::text is null or tenant_id = $1) and (tenant_id, user_id) > ($2::text, $3::text)
         group by tenant_id, user_id order by tenant_id, user_id limit $4`,
  changed: `select tenant_id, user_id from behavior_metric_days
             where updated_at > $5::timestamptz and ($1::text is null or tenant_id = $1)
               and (tenant_id, user_id) > ($2::text, $3::text)
             group by tenant_id, user_id order by tenant_id, user_id limit $4`,
  users: `select distinct tenant_id, user_id from unnest($6::text[], $7::text[]) as u(tenant_id, user_id)
           where (tenant_id, user_id) > ($2::text, $3::text) order by tenant_id, user_id limit $4`,
};

// One statement computes the features of a whole chunk of users from the engagement
// metrics: per-user aggregates with FILTER, per-schema use grouped once and folded to JSON.
// (The unused CTE \`p\` only types the parameters a given scope does not reference.)
const featuresSql = (scope: string) => `
with p as (select $1::text as t, $5::timestamptz as s, $6::text[] as a, $7::text[] as b),
users as (${scope}),
m as (
  select m.tenant_id, m.user_id, m.metric_date, m.metric_key, m.metric_value, m.attributes
    from behavior_signal_metrics m join users u using (tenant_id, user_id)
   where m.metric_key in ('${ENGAGEMENT_KEYS.signals}', '${ENGAGEMENT_KEYS.dwellSeconds}', '${ENGAGEMENT_KEYS.lastActivity}')
      or (starts_with(m.metric_key, '${ENGAGEMENT_KEYS.schemaSignalsPrefix}') and m.metric_date >= $9::date)
),
per_schema as (
  select tenant_id, user_id, attributes->>'schemaId' as schema_id,
         sum(metric_value) as signals,
         sum(metric_value * ($10::int - ($8::date - metric_date)) / $10::int) as weighted
    from m where starts_with(metric_key, '${ENGAGEMENT_KEYS.schemaSignalsPrefix}')
   group by tenant_id, user_id, attributes->>'schemaId'
),
schema_use as (
  select tenant_id, user_id,
         jsonb_object_agg(schema_id, jsonb_build_array(signals::float8, round(weighted, 6)::float8)) as use
    from per_schema group by tenant_id, user_id
),
agg as (
  select tenant_id, user_id,
    coalesce(sum(metric_value) filter (where metric_key = '${ENGAGEMENT_KEYS.signals}' and metric_date >= $9::date), 0)::float8 as signals,
    count(*) filter (where metric_key = '${ENGAGEMENT_KEYS.signals}' and metric_date >= $9::date and metric_value > 0) as active_days,
    coalesce(sum(metric_value) filter (where metric_key = '${ENGAGEMENT_KEYS.dwellSeconds}' and metric_date >= $9::date), 0)::float8 as dwell,
    max(metric_value) filter (where metric_key = '${ENGAGEMENT_KEYS.lastActivity}')::float8 as last_ms,
    to_char(min(metric_date) filter (where metric_key = '${ENGAGEMENT_KEYS.signals}'), 'YYYY-MM-DD') as first_seen
    from m group by tenant_id, user_id
)
select u.tenant_id, u.user_id, a.signals, a.active_days, a.dwell, a.last_ms, a.first_seen, s.use
  from users u
  left join agg a using (tenant_id, user_id)
  left join schema_use s using (tenant_id, user_id)
 order by u.tenant_id, u.user_id`;

/** Set-based reads behind the insight jobs: features, window metrics and recent signals per chunk of users. */
@Injectable()
export class BehaviorFeaturesRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  /** Whether the user has any daily metrics: the users the scheduled analysis would see. */
  async hasMetrics(tenantId: string, userId: string): Promise<boolean> {
    const { rows } = await this.db.background.query<{ found: boolean }>(
      'select exists (select 1 from behavior_metric_days where tenant_id = $1 and user_id = $2) as found',
      [tenantId, userId],
    );
    return rows[0].found;
  }

  /** One chunk of users after `after` (keyset on tenant, user), with their features. */
  async chunk(
    scope: UserScope,
    window: FeatureWindow,
    after: { tenantId: string; userId: string } | null,
    limit: number,
  ): Promise<UserFeatureRow[]> {
    const since = shiftDay(window.today, -(window.windowDays - 1));
    const users = scope.kind === 'users' ? scope.users : [];
    const { rows } = await this.db.background.query(featuresSql(SCOPE_SQL[scope.kind]), [
      scope.kind === 'users' ? null : (scope.tenantId ?? null),
      after?.tenantId ?? '',
      after?.userId ?? '',
      limit,
      scope.kind === 'changed' ? scope.since : null,
      users.map((u) => u.tenantId),
      users.map((u) => u.userId),
      window.today,
      since,
      window.windowDays,
    ]);
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      userId: r.user_id,
      features: {
        signals: r.signals ?? 0,
        activeDays: Number(r.active_days ?? 0),
        dwellSeconds: r.dwell ?? 0,
        lastActivityAt: r.last_ms === null || r.last_ms === undefined ? null : new Date(r.last_ms),
        firstSeenAt: r.first_seen ? new Date(`${r.first_seen}T00:00:00Z`) : null,
        schemaUse: Object.fromEntries(
          Object.entries((r.use ?? {}) as Record<string, [number, number]>).map(
            ([id, [signals, weighted]]) => [id, { signals, weighted }],
          ),
        ),
      },
    }));
  }

  /** Window metrics of many users in one statement. */
  async windowMetrics(
    users: readonly { tenantId: string; userId: string }[],
    window: FeatureWindow,
  ): Promise<Map<string, BehaviorMetricRow[]>> {
    const out = new Map<string, BehaviorMetricRow[]>();
    if (users.length === 0) return out;
    const { rows } = await this.db.background.query(
      `select m.tenant_id, m.user_id, m.metric_key, to_char(m.metric_date, 'YYYY-MM-DD') as metric_date,
              m.metric_value::float8 as metric_value, m.metric_type, m.attributes
         from behavior_signal_metrics m
         join unnest($1::text[], $2::text[]) as u(tenant_id, user_id) using (tenant_id, user_id)
        where m.metric_date between $3::date and $4::date
        order by m.metric_date, m.metric_key`,
      [
        users.map((u) => u.tenantId),
        users.map((u) => u.userId),
        shiftDay(window.today, -(window.windowDays - 1)),
        window.today,
      ],
    );
    for (const r of rows) {
      const key = userKey(r.tenant_id, r.user_id);
      const list = out.get(key) ?? [];
      list.push({
        metricKey: r.metric_key,
        metricDate: r.metric_date,
        metricValue: r.metric_value,
        metricType: r.metric_type as BehaviorMetricType,
        attributes: r.attributes,
      });
      out.set(key, list);
    }
    return out;
  }

  /** The newest `limit` signals of each user, in one statement (lateral index scans). */
  async recentSignals(
    users: readonly { tenantId: string; userId: string }[],
    limit: number,
  ): Promise<Map<string, BehaviorSignal[]>> {
    const out = new Map<string, BehaviorSignal[]>();
    if (users.length === 0 || limit <= 0) return out;
    const { rows } = await this.db.background.query<SignalRow & { user_id: string }>(
      `select s.* from unnest($1::text[], $2::text[]) as u(tenant_id, user_id)
         cross join lateral (
           select ${SIGNAL_COLUMNS} from behavior_signals b
            where b.tenant_id = u.tenant_id and b.user_id = u.user_id
            order by b.occurred_at desc, b.id desc limit $3) s`,
      [users.map((u) => u.tenantId), users.map((u) => u.userId), limit],
    );
    for (const r of rows) {
      const key = userKey(r.tenant_id, r.user_id);
      const list = out.get(key) ?? [];
      list.push(toBehaviorSignal(r));
      out.set(key, list);
    }
    return out;
  }
}

export function userKey(tenantId: string, userId: string): string {
  return `${tenantId}\u0000${userId}`;
}

export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
