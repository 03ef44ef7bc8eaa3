import type { Queryable } from '@lssm/nest-common';
import type pg from 'pg';

export interface SeriesCounts {
  readonly tenantId: string;
  readonly schemaId: string;
  /** Per bucket start given, in that order. */
  readonly counts: number[];
}

export interface UserCount {
  readonly tenantId: string;
  readonly userId: string;
  readonly count: number;
}

export interface FailureCounts {
  readonly tenantId: string;
  readonly schemaId: string;
  readonly failed: number;
  readonly failedBefore: number;
  readonly accepted: number;
  readonly acceptedBefore: number;
}

/**
 * The counts the core detectors judge, one statement per tenant batch. Every read is a range on
 * an index that starts with the tenant (and schema): behavior_signals (tenant_id, schema_id,
 * occurred_at), failed_signals (tenant_id, failed_at); no statement reads outside the windows.
 */
export class AnomalyScanRepository {
  /** Signals per (tenant, schema, bucket); buckets are [start, start + interval). */
  async volumeCounts(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    schemaIds: readonly string[],
    bucketStarts: readonly Date[],
    intervalMs: number,
  ): Promise<SeriesCounts[]> {
    const { rows } = await client.query<{ tenant_id: string; schema_id: string; counts: number[] }>(
      `select t.tenant_id, sc.schema_id, array_agg(c.n order by b.k) as counts
         from unnest($1::text[]) t(tenant_id)
        cross join unnest($2::text[]) sc(schema_id)
        cross join unnest($3::timestamptz[]) with ordinality b(start, k)
        cross join lateral (
          select count(*)::int as n from behavior_signals s
           where s.tenant_id = t.tenant_id and s.schema_id = sc.schema_id
             and s.occurred_at >= b.start and s.occurred_at < b.start + $4::interval
        ) c
        group by t.tenant_id, sc.schema_id
       having max(c.n) > 0`,
      [tenantIds, schemaIds, bucketStarts.map((d) => d.toISOString()), `${intervalMs} milliseconds`],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, schemaId: r.schema_id, counts: r.counts }));
  }

  /** Signals per (tenant, user) in [start, end); anonymous signals are not counted. */
  async userCounts(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    schemaIds: readonly string[],
    start: Date,
    end: Date,
  ): Promise<UserCount[]> {
    const { rows } = await client.query<{ tenant_id: string; user_id: string; n: number }>(
      `select t.tenant_id, s.user_id, count(*)::int as n
         from unnest($1::text[]) t(tenant_id)
        cross join unnest($2::text[]) sc(schema_id)
        cross join lateral (
          select b.user_id from behavior_signals b
           where b.tenant_id = t.tenant_id and b.schema_id = sc.schema_id
             and b.occurred_at >= $3::timestamptz and b.occurred_at < $4::timestamptz and b.user_id is not null
        ) s
        group by t.tenant_id, s.user_id`,
      [tenantIds, schemaIds, start.toISOString(), end.toISOString()],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, userId: r.user_id, count: r.n }));
  }

  /**
   * Refused items per (tenant, schema) in [start, end) and in [referenceStart, start), with the
   * accepted signals of the same spans, for the schemas with at least `minFailed` refusals now.
   * Refusals count by failed_at (arrival), acceptances by occurred_at (the indexed time).
   */
  async failureCounts(
    client: pg.ClientBase,
    tenantIds: readonly string[],
    referenceStart: Date,
    start: Date,
    end: Date,
    minFailed: number,
  ): Promise<FailureCounts[]> {
    const { rows } = await client.query<{
      tenant_id: string;
      schema_id: string;
      failed: number;
      failed_before: number;
      accepted: number;
      accepted_before: number;
    }>(
      `with failures as (
         select f.tenant_id, f.schema_id,
                count(*) filter (where f.failed_at >= $3::timestamptz)::int as failed,
                count(*) filter (where f.failed_at < $3::timestamptz)::int as failed_before
           from unnest($1::text[]) t(tenant_id)
           join failed_signals f on f.tenant_id = t.tenant_id
            and f.failed_at >= $2::timestamptz and f.failed_at < $4::timestamptz
          where f.schema_id is not null
          group by f.tenant_id, f.schema_id
       )
       select f.*, a.accepted, a.accepted_before
         from failures f
        cross join lateral (
          select count(*) filter (where s.occurred_at >= $3::timestamptz)::int as accepted,
                 count(*) filter (where s.occurred_at < $3::timestamptz)::int as accepted_before
            from behavior_signals s
           where s.tenant_id = f.tenant_id and s.schema_id = f.schema_id
             and s.occurred_at >= $2::timestamptz and s.occurred_at < $4::timestamptz
        ) a
        where f.failed >= $5::int`,
      [tenantIds, referenceStart.toISOString(), start.toISOString(), end.toISOString(), minFailed],
    );
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      schemaId: r.schema_id,
      failed: r.failed,
      failedBefore: r.failed_before,
      accepted: r.accepted,
      acceptedBefore: r.accepted_before,
    }));
  }

  /** Tenant ids after `after`, in id order. */
  async tenantPage(client: Queryable, after: string | null, limit: number): Promise<string[]> {
    const { rows } = await client.query<{ id: string }>(
      `select id from tenants where ($1::text is null or id > $1) order by id limit $2`,
      [after, limit],
    );
    return rows.map((r) => r.id);
  }
}
