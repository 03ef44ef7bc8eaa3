import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { BehaviorMetricRow } from '../contracts/behavior-insight-strategy.js';
import type { BehaviorMetricType } from '../contracts/behavior-metric-projector.js';
import type { MetricDeltaAccumulator } from '../projection/metric-delta.accumulator.js';

const MAX_METRIC_ROWS = 10_000;

/** A user's metrics over a closed range of UTC days, optionally one key or a key prefix. */
export interface UserMetricRange {
  readonly tenantId: string;
  readonly userId: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly metricKey?: string;
  readonly metricKeyPrefix?: string;
}

/** What a rebuild clears: a tenant's metrics in a day range, optionally of one projector. */
export interface MetricRebuildRange {
  readonly tenantId: string;
  readonly from?: string;
  readonly to?: string;
  readonly projector?: string;
}

// Adds a batch of deltas: grouped per metric first (a multi-row upsert may touch a row
// only once), then merged with the stored state. avg keeps value_sum / value_count and
// recomputes the quotient, so it is exact however the signals were batched.
const UPSERT_DELTAS = `
with input as (
  select * from unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                       $8::bigint[], $9::numeric[], $10::numeric[], $11::numeric[])
    as t(tenant_id, user_id, metric_date, metric_key, metric_type, projector, attributes, n, s, mn, mx)
),
agg as (
  select tenant_id, user_id, metric_date, metric_key, min(metric_type) as metric_type, min(projector) as projector,
         (array_agg(attributes))[1] as attributes, sum(n) as n, sum(s) as s, min(mn) as mn, max(mx) as mx
    from input group by tenant_id, user_id, metric_date, metric_key
)
insert into behavior_signal_metrics as m
  (tenant_id, user_id, metric_date, metric_key, metric_type, projector, attributes, value_count, value_sum, metric_value, updated_at)
select tenant_id, user_id, metric_date, metric_key, metric_type, projector, attributes, n, s,
       case metric_type when 'avg' then s / nullif(n, 0) when 'min' then mn when 'max' then mx else s end, now()
  from agg
on conflict (tenant_id, user_id, metric_date, metric_key) do update set
  value_count = m.value_count + excluded.value_count,
  value_sum = m.value_sum + excluded.value_sum,
  metric_value = case m.metric_type
    when 'avg' then (m.value_sum + excluded.value_sum) / nullif(m.value_count + excluded.value_count, 0)
    when 'min' then least(m.metric_value, excluded.metric_value)
    when 'max' then greatest(m.metric_value, excluded.metric_value)
    else m.metric_value + excluded.metric_value end,
  updated_at = excluded.updated_at`;

// Distinct members: only the ones not stored yet add to the count.
const UPSERT_DISTINCT = `
with input as (
  select * from unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::jsonb[], $7::text[])
    as t(tenant_id, user_id, metric_date, metric_key, projector, attributes, value)
),
added as (
  insert into behavior_signal_metric_values (tenant_id, user_id, metric_date, metric_key, value)
  select tenant_id, user_id, metric_date, metric_key, value from input
  on conflict do nothing
  returning tenant_id, user_id, metric_date, metric_key
),
keys as (
  select tenant_id, user_id, metric_date, metric_key, min(projector) as projector,
         (array_agg(attributes))[1] as attributes
    from input group by tenant_id, user_id, metric_date, metric_key
),
added_n as (
  select tenant_id, user_id, metric_date, metric_key, count(*) as n
    from added group by tenant_id, user_id, metric_date, metric_key
),
counted as (
  select k.*, coalesce(a.n, 0) as n
    from keys k left join added_n a using (tenant_id, user_id, metric_date, metric_key)
)
insert into behavior_signal_metrics as m
  (tenant_id, user_id, metric_date, metric_key, metric_type, projector, attributes, value_count, value_sum, metric_value, updated_at)
select tenant_id, user_id, metric_date, metric_key, 'distinct', projector, attributes, n, 0, n, now() from counted
on conflict (tenant_id, user_id, metric_date, metric_key) do update set
  value_count = m.value_count + excluded.value_count,
  metric_value = m.metric_value + excluded.metric_value,
  updated_at = excluded.updated_at`;

/** The daily metric tables: projection writes, rebuild deletes, per-user reads. */
@Injectable()
export class MetricRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  /** One index range scan on the primary key, capped at MAX_METRIC_ROWS. */
  async listForUser(range: UserMetricRange): Promise<BehaviorMetricRow[]> {
    const { rows } = await this.db.read.query(
      `select metric_key, to_char(metric_date, 'YYYY-MM-DD') as metric_date, metric_value::float8 as metric_value,
              metric_type, attributes
         from behavior_signal_metrics
        where tenant_id = $1 and user_id = $2 and metric_date between $3::date and $4::date
          and ($5::text is null or metric_key = $5)
          and ($6::text is null or starts_with(metric_key, $6))
        order by metric_date, metric_key
        limit ${MAX_METRIC_ROWS}`,
      [
        range.tenantId,
        range.userId,
        range.startDate,
        range.endDate,
        range.metricKey ?? null,
        range.metricKeyPrefix ?? null,
      ],
    );
    return rows.map((r) => ({
      metricKey: r.metric_key,
      metricDate: r.metric_date,
      metricValue: r.metric_value,
      metricType: r.metric_type as BehaviorMetricType,
      attributes: r.attributes,
    }));
  }

  /** Deletes what a rebuild recomputes (inside the rebuild's transaction); returns metric rows deleted. */
  async deleteForRebuild(client: pg.PoolClient, range: MetricRebuildRange): Promise<number> {
    const params = [range.tenantId, range.from ?? null, range.to ?? null, range.projector ?? null];
    await client.query(
      `delete from behavior_signal_metric_values v
        where v.tenant_id = $1 and ($2::date is null or v.metric_date >= $2::date)
          and ($3::date is null or v.metric_date <= $3::date)
          and ($4::text is null or exists (
                select 1 from behavior_signal_metrics m
                 where m.tenant_id = v.tenant_id and m.user_id = v.user_id and m.metric_date = v.metric_date
                   and m.metric_key = v.metric_key and m.projector = $4))`,
      params,
    );
    const deleted = await client.query(
      `delete from behavior_signal_metrics
        where tenant_id = $1 and ($2::date is null or metric_date >= $2::date)
          and ($3::date is null or metric_date <= $3::date) and ($4::text is null or projector = $4)`,
      params,
    );
    return deleted.rowCount ?? 0;
  }

  /** Writes a batch's deltas with at most two statements (inside the caller's transaction). */
  async writeDeltas(client: pg.PoolClient, acc: MetricDeltaAccumulator): Promise<number> {
    const rows = acc.deltaRows();
    const members = acc.distinctRows();
    if (rows.length > 0) {
      await client.query(UPSERT_DELTAS, [
        rows.map((r) => r.tenantId),
        rows.map((r) => r.userId),
        rows.map((r) => r.metricDate),
        rows.map((r) => r.metricKey),
        rows.map((r) => r.metricType),
        rows.map((r) => r.projector),
        rows.map((r) => JSON.stringify(r.attributes)),
        rows.map((r) => r.count),
        rows.map((r) => r.sum),
        rows.map((r) => r.min),
        rows.map((r) => r.max),
      ]);
    }
    if (members.length > 0) {
      await client.query(UPSERT_DISTINCT, [
        members.map((r) => r.tenantId),
        members.map((r) => r.userId),
        members.map((r) => r.metricDate),
        members.map((r) => r.metricKey),
        members.map((r) => r.projector),
        members.map((r) => JSON.stringify(r.attributes)),
        members.map((r) => r.value),
      ]);
    }
    return rows.length + members.length;
  }
}
