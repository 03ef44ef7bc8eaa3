import type pg from 'pg';
import type { MetricDeltaAccumulator } from './metric-delta.accumulator.js';

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

/** Writes a batch's deltas with at most two statements (inside the caller's transaction). */
export async function writeMetricDeltas(client: pg.PoolClient, acc: MetricDeltaAccumulator): Promise<number> {
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
