import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { BehaviorMetricRow } from '../contracts/behavior-insight-strategy.js';
import type { BehaviorMetricType } from '../contracts/behavior-metric-projector.js';
import type { DistinctMemberRow, MetricDeltaAccumulator } from '../projection/metric-delta.accumulator.js';
import { mergeMetricDay, type StoredDay } from '../projection/metric-day.merger.js';

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

// New distinct members of a batch, counted per metric: only members not stored yet count.
const INSERT_MEMBERS = `
with added as (
  insert into behavior_signal_metric_values (tenant_id, user_id, metric_date, metric_key, value)
  select * from unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[])
  on conflict do nothing
  returning tenant_id, user_id, metric_date, metric_key
)
select tenant_id, user_id, to_char(metric_date, 'YYYY-MM-DD') as metric_date, metric_key, count(*)::int as n
  from added group by tenant_id, user_id, metric_date, metric_key`;

// The stored days a batch touches, locked until its transaction ends.
const LOCK_DAYS = `
select m.tenant_id, m.user_id, to_char(m.metric_date, 'YYYY-MM-DD') as metric_date, m.metrics
  from unnest($1::text[], $2::text[], $3::date[]) as i(tenant_id, user_id, metric_date)
  join behavior_metric_days m using (tenant_id, user_id, metric_date)
   for update of m`;

// Replaces the locked days and adds the new ones; returns the new days someone else inserted
// meanwhile, for the caller to fold again. Both go through the primary key (no join plan).
const WRITE_DAYS = `
with input as (
  select * from unnest($1::text[], $2::text[], $3::date[], $4::jsonb[], $5::bool[])
    as i(tenant_id, user_id, metric_date, metrics, existed)
),
inserted as (
  insert into behavior_metric_days (tenant_id, user_id, metric_date, metrics, updated_at)
  select tenant_id, user_id, metric_date, metrics, now() from input where not existed
  on conflict do nothing
  returning tenant_id, user_id, metric_date
),
replaced as (
  insert into behavior_metric_days as m (tenant_id, user_id, metric_date, metrics, updated_at)
  select tenant_id, user_id, metric_date, metrics, now() from input where existed
  on conflict (tenant_id, user_id, metric_date) do update set metrics = excluded.metrics, updated_at = excluded.updated_at
)
select i.tenant_id, i.user_id, to_char(i.metric_date, 'YYYY-MM-DD') as metric_date
  from input i
 where not i.existed
   and not exists (select 1 from inserted n
                    where (n.tenant_id, n.user_id, n.metric_date) = (i.tenant_id, i.user_id, i.metric_date))`;

const dayId = (tenantId: string, userId: string, metricDate: string) =>
  `${tenantId}\u0000${userId}\u0000${metricDate}`;

/** The daily metrics (one row per user-day, read per metric through the behavior_signal_metrics view). */
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

  /** Deletes what a rebuild recomputes (inside the rebuild's transaction); returns metrics deleted. */
  async deleteForRebuild(client: pg.PoolClient, range: MetricRebuildRange): Promise<number> {
    const params = [range.tenantId, range.from ?? null, range.to ?? null, range.projector ?? null];
    const inRange = `tenant_id = $1 and ($2::date is null or metric_date >= $2::date)
          and ($3::date is null or metric_date <= $3::date)`;
    const counted = await client.query<{ n: number }>(
      `select count(*)::int as n from behavior_signal_metrics where ${inRange} and ($4::text is null or projector = $4)`,
      params,
    );
    await client.query(
      `delete from behavior_signal_metric_values v
        where v.tenant_id = $1 and ($2::date is null or v.metric_date >= $2::date)
          and ($3::date is null or v.metric_date <= $3::date)
          and ($4::text is null or exists (
                select 1 from behavior_metric_days d
                 where d.tenant_id = v.tenant_id and d.user_id = v.user_id and d.metric_date = v.metric_date
                   and d.metrics -> v.metric_key ->> 'p' = $4))`,
      params,
    );
    if (range.projector === undefined) {
      await client.query(`delete from behavior_metric_days where ${inRange}`, params.slice(0, 3));
    } else {
      // Keeps the other projectors' metrics of each day; a day left empty goes.
      await client.query(
        `update behavior_metric_days d
            set metrics = d.metrics - array(select e.key from jsonb_each(d.metrics) e where e.value ->> 'p' = $4)
          where ${inRange}`,
        params,
      );
      await client.query(
        `delete from behavior_metric_days where ${inRange} and metrics = '{}'::jsonb`,
        params.slice(0, 3),
      );
    }
    return counted.rows[0].n;
  }

  /**
   * Folds a batch's deltas into the stored days (inside the caller's transaction): new distinct
   * members, then the touched days read under a row lock, merged here and written back with
   * one statement. Merging in the service keeps PostgreSQL's share to index lookups and writes.
   * Returns the days written.
   */
  async writeDeltas(client: pg.PoolClient, acc: MetricDeltaAccumulator): Promise<number> {
    const days = acc.dayRows();
    if (days.length === 0) return 0;
    const added = await this.insertMembers(client, acc.distinctRows());
    let pending = days;
    while (pending.length > 0) {
      const { rows: locked } = await client.query(LOCK_DAYS, [
        pending.map((d) => d.tenantId),
        pending.map((d) => d.userId),
        pending.map((d) => d.metricDate),
      ]);
      const stored = new Map<string, StoredDay>(
        locked.map((r) => [dayId(r.tenant_id, r.user_id, r.metric_date), r.metrics as StoredDay]),
      );
      const merged = pending.map((d) => {
        const id = dayId(d.tenantId, d.userId, d.metricDate);
        return mergeMetricDay(stored.get(id), d.metrics, (key) => added.get(`${id}\u0000${key}`) ?? 0);
      });
      const { rows: raced } = await client.query(WRITE_DAYS, [
        pending.map((d) => d.tenantId),
        pending.map((d) => d.userId),
        pending.map((d) => d.metricDate),
        merged.map((m) => JSON.stringify(m)),
        pending.map((d) => stored.has(dayId(d.tenantId, d.userId, d.metricDate))),
      ]);
      // A day another transaction created after our read: fold into its row instead.
      const again = new Set(raced.map((r) => dayId(r.tenant_id, r.user_id, r.metric_date)));
      pending = pending.filter((d) => again.has(dayId(d.tenantId, d.userId, d.metricDate)));
    }
    return days.length;
  }

  private async insertMembers(
    client: pg.PoolClient,
    members: readonly DistinctMemberRow[],
  ): Promise<Map<string, number>> {
    const added = new Map<string, number>();
    if (members.length === 0) return added;
    const { rows } = await client.query(INSERT_MEMBERS, [
      members.map((r) => r.tenantId),
      members.map((r) => r.userId),
      members.map((r) => r.metricDate),
      members.map((r) => r.metricKey),
      members.map((r) => r.value),
    ]);
    for (const r of rows)
      added.set(`${dayId(r.tenant_id, r.user_id, r.metric_date)}\u0000${r.metric_key}`, r.n);
    return added;
  }
}
