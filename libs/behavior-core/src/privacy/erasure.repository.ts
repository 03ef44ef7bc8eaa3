import { randomUUID } from 'node:crypto';
import { transaction, type Queryable } from '@lssm/nest-common';

export type ErasureKind = 'user' | 'tenant';
export type ErasureStatus = 'queued' | 'running' | 'completed' | 'failed';

/** An erasure as readers see it: never the user id. */
export interface ErasureRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: ErasureKind;
  readonly userHash: string | null;
  readonly status: ErasureStatus;
  readonly requestedBy: string;
  readonly counts: Record<string, number>;
  readonly attempts: number;
  readonly error: string | null;
  readonly requestedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** A claimed erasure: what the job works from (the user id while it is pending). */
export interface ClaimedErasure {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: ErasureKind;
  readonly userId: string | null;
  /** Milliseconds since the request, by the database's clock. */
  readonly ageMs: number;
}

export interface SuppressionRecord {
  readonly userHash: string;
  readonly erasureId: string | null;
  readonly createdAt: string;
}

/** How long a claimed erasure is held before another worker may resume it (renewed per chunk). */
const LEASE = `interval '5 minutes'`;

const COLUMNS = `id, tenant_id, kind, user_hash, status, requested_by, counts, attempts, error,
  requested_at, started_at, finished_at`;

type Row = {
  id: string;
  tenant_id: string;
  kind: ErasureKind;
  user_hash: string | null;
  status: ErasureStatus;
  requested_by: string;
  counts: Record<string, number>;
  attempts: number;
  error: string | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
};

const toRecord = (r: Row): ErasureRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  kind: r.kind,
  userHash: r.user_hash,
  status: r.status,
  requestedBy: r.requested_by,
  counts: Object.fromEntries(Object.entries(r.counts).map(([k, v]) => [k, Number(v)])),
  attempts: r.attempts,
  error: r.error,
  requestedAt: r.requested_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
});

/**
 * The user's rows of one core table per statement, at most `$3` (short transactions beside
 * ingestion). Each returns `n`, the rows removed; the job repeats it until it removes fewer.
 * `$1` tenant, `$2` user id, `$4`/`$5` the id as it reads inside JSON text (quoted, and quoted
 * inside an escaped string: a truncated failed-signal preview).
 */
export const USER_STEPS: readonly { table: string; sql: string }[] = [
  {
    // Idempotency keys and parked entries go in the same statement as their signals: once the
    // signal is gone nothing else finds them.
    table: 'behavior_signals',
    sql: `
with gone as (
  delete from behavior_signals where (id, occurred_at) in (
    select id, occurred_at from behavior_signals where tenant_id = $1 and user_id = $2 limit $3)
  returning id, schema_id, signal_key),
keys as (
  delete from behavior_signal_keys k using gone g
   where k.tenant_id = $1 and k.schema_id = g.schema_id and k.signal_key = g.signal_key and k.signal_id = g.id
  returning 1),
parked as (delete from behavior_parked_signals p using gone g where p.signal_id = g.id returning 1)
select (select count(*) from gone)::int as n, (select count(*) from keys)::int as keys,
       (select count(*) from parked)::int as parked`,
  },
  {
    table: 'failed_signals',
    sql: `
delete from failed_signals where id in (
  select id from failed_signals
   where tenant_id = $1
     and (payload ->> 'userId' = $2 or strpos(payload::text, $4) > 0 or strpos(payload::text, $5) > 0)
   limit $3)`,
  },
  {
    table: 'behavior_metric_days',
    sql: `
delete from behavior_metric_days where (tenant_id, user_id, metric_date) in (
  select tenant_id, user_id, metric_date from behavior_metric_days where tenant_id = $1 and user_id = $2 limit $3)`,
  },
  {
    table: 'behavior_signal_metric_values',
    sql: `
delete from behavior_signal_metric_values where (tenant_id, user_id, metric_date, metric_key, value) in (
  select tenant_id, user_id, metric_date, metric_key, value from behavior_signal_metric_values
   where tenant_id = $1 and user_id = $2 limit $3)`,
  },
  {
    table: 'behavior_insights',
    sql: `
delete from behavior_insights where (tenant_id, user_id, insight_type) in (
  select tenant_id, user_id, insight_type from behavior_insights where tenant_id = $1 and user_id = $2 limit $3)`,
  },
  {
    // An alert about the user, or one whose evidence names them (a rule over several users).
    table: 'behavior_alerts',
    sql: `
delete from behavior_alerts where id in (
  select id from behavior_alerts
   where tenant_id = $1 and (user_id = $2 or strpos(evidence::text, $4) > 0) limit $3)`,
  },
  {
    // Embeddings of the user's texts (a vector can be close to invertible: it goes with the text).
    table: 'behavior_embeddings',
    sql: `
delete from behavior_embeddings where ctid = any(array(
  select ctid from behavior_embeddings where tenant_id = $1 and user_id = $2 limit $3))`,
  },
];

/** Every core table's rows of a tenant (`$1`), at most `$2` per statement. */
export const TENANT_STEPS: readonly { table: string; sql: string }[] = [
  {
    table: 'behavior_signals',
    sql: `
with gone as (
  delete from behavior_signals where (id, occurred_at) in (
    select id, occurred_at from behavior_signals where tenant_id = $1 limit $2)
  returning id),
parked as (delete from behavior_parked_signals p using gone g where p.signal_id = g.id returning 1)
select (select count(*) from gone)::int as n, (select count(*) from parked)::int as parked`,
  },
  ...['behavior_signal_keys', 'failed_signals', 'behavior_metric_days', 'behavior_signal_metric_values']
    .concat(['behavior_insights', 'behavior_alerts', 'behavior_suppressions'])
    .concat(['behavior_embeddings', 'behavior_embedding_usage'])
    .map((table) => ({
      table,
      sql: `delete from ${table} where ctid = any(array(select ctid from ${table} where tenant_id = $1 limit $2))`,
    })),
];

/** The other tables a combined statement reports, by its column name. */
const EXTRA_TABLES: Record<string, string> = {
  keys: 'behavior_signal_keys',
  parked: 'behavior_parked_signals',
};

const ADD_COUNTS = `
update behavior_erasures e
   set counts = e.counts || (select coalesce(jsonb_object_agg(c.key, coalesce((e.counts ->> c.key)::bigint, 0)
                                                                 + c.value::bigint), '{}'::jsonb)
                               from jsonb_each_text($2::jsonb) c),
       lease_until = now() + ${LEASE}
 where id = $1`;

/** Erasure requests (the job's work list and audit), the suppression list, and the erasing deletes. */
export class ErasureRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Lists the user as suppressed and queues their erasure, in one transaction that commits before
   * the caller answers. A pending (or failed) erasure of the same user is reused (and re-queued).
   */
  async requestUser(
    tenantId: string,
    userId: string,
    userHash: string,
    requestedBy: string,
  ): Promise<ErasureRecord> {
    return transaction(this.db, async (client) => {
      const existing = await client.query<Row>(
        `update behavior_erasures set status = case when status = 'failed' then 'queued' else status end,
                user_id = $3, error = case when status = 'failed' then null else error end
          where id = (select id from behavior_erasures
                       where tenant_id = $1 and kind = 'user' and user_hash = $2 and status <> 'completed'
                       order by requested_at desc limit 1 for update)
          returning ${COLUMNS}`,
        [tenantId, userHash, userId],
      );
      const row =
        existing.rows[0] ??
        (
          await client.query<Row>(
            `insert into behavior_erasures (id, tenant_id, kind, user_id, user_hash, requested_by, status)
             values ($1, $2, 'user', $3, $4, $5, 'queued') returning ${COLUMNS}`,
            [randomUUID(), tenantId, userId, userHash, requestedBy],
          )
        ).rows[0];
      await client.query(
        `insert into behavior_suppressions (tenant_id, user_hash, erasure_id) values ($1, $2, $3)
         on conflict (tenant_id, user_hash) do update set erasure_id = excluded.erasure_id`,
        [tenantId, userHash, row.id],
      );
      return toRecord(row);
    });
  }

  async requestTenant(tenantId: string, requestedBy: string): Promise<ErasureRecord> {
    const { rows } = await this.db.query<Row>(
      `insert into behavior_erasures (id, tenant_id, kind, requested_by, status)
       values ($1, $2, 'tenant', $3, 'queued') returning ${COLUMNS}`,
      [randomUUID(), tenantId, requestedBy],
    );
    return toRecord(rows[0]);
  }

  /** `tenantId` undefined: any tenant's (the service admin). */
  async get(id: string, tenantId?: string): Promise<ErasureRecord | null> {
    const { rows } = await this.db.query<Row>(
      `select ${COLUMNS} from behavior_erasures where id = $1 and ($2::text is null or tenant_id = $2)`,
      [id, tenantId ?? null],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The oldest queued erasure (or `id`), or one whose worker's lease ran out (a restart), now leased to the caller. */
  async claim(id: string | null): Promise<ClaimedErasure | null> {
    const { rows } = await this.db.query<{
      id: string;
      tenant_id: string;
      kind: ErasureKind;
      user_id: string | null;
      age_ms: number;
    }>(
      `update behavior_erasures
          set status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1,
              lease_until = now() + ${LEASE}
        where id = (select id from behavior_erasures
                     where (status = 'queued' or (status = 'running' and lease_until < now()))
                       and ($1::uuid is null or id = $1)
                     order by requested_at limit 1 for update skip locked)
        returning id, tenant_id, kind, user_id,
                  (extract(epoch from clock_timestamp() - requested_at) * 1000)::float8 as age_ms`,
      [id],
    );
    const r = rows[0];
    return r
      ? { id: r.id, tenantId: r.tenant_id, kind: r.kind, userId: r.user_id, ageMs: Number(r.age_ms) }
      : null;
  }

  /**
   * One chunk of a delete step and its counts, in one transaction: a restart resumes with exact
   * counts. `n` is the rows of `table` removed; `extra` the other tables the statement reported.
   */
  async eraseChunk(
    id: string,
    table: string,
    sql: string,
    params: readonly unknown[],
  ): Promise<{ n: number; extra: Record<string, number> }> {
    return transaction(this.db, async (client) => {
      const result = await client.query<Record<string, number>>(sql, params as unknown[]);
      let n = result.rowCount ?? 0;
      const extra: Record<string, number> = {};
      if (result.command === 'SELECT') {
        for (const [k, v] of Object.entries(result.rows[0])) {
          if (k === 'n') n = Number(v);
          else extra[EXTRA_TABLES[k] ?? k] = Number(v);
        }
      }
      await client.query(ADD_COUNTS, [id, JSON.stringify({ [table]: n, ...extra })]);
      return { n, extra };
    });
  }

  /** Adds to the counts and renews the lease (a long erasure is not taken over while it progresses). */
  async addCounts(id: string, counts: Record<string, number>): Promise<void> {
    await this.db.query(ADD_COUNTS, [id, JSON.stringify(counts)]);
  }

  /** Done: the user id leaves the row in the same statement. */
  async complete(id: string): Promise<void> {
    await this.db.query(
      `update behavior_erasures set status = 'completed', user_id = null, finished_at = now(),
              lease_until = null, error = null where id = $1`,
      [id],
    );
  }

  /** Back to the queue for the next run, or failed after `maxAttempts` (the id stays to allow a retry). */
  async fail(id: string, error: string, maxAttempts: number): Promise<void> {
    await this.db.query(
      `update behavior_erasures
          set status = case when attempts >= $3 then 'failed' else 'queued' end,
              finished_at = case when attempts >= $3 then now() end, lease_until = null, error = $2
        where id = $1`,
      [id, error.slice(0, 500), maxAttempts],
    );
  }

  /**
   * Waits until no other database session is inside a transaction that began before `since` (at
   * most `timeoutMs`): an ingestion write that began before the suppression committed cannot see
   * it and may still commit the user's rows; once it has ended, the erasure's deletes see them.
   */
  async waitForEarlierWrites(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const { rows } = await this.db.query<{ since: Date }>('select clock_timestamp() as since');
    const since = rows[0].since;
    for (;;) {
      const { rows: busy } = await this.db.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where pid <> pg_backend_pid() and datname = current_database()
            and state is not null and state <> 'idle' and xact_start < $1`,
        [since],
      );
      if (busy[0].n === 0) return true;
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async listSuppressions(tenantId: string, limit: number, after?: string): Promise<SuppressionRecord[]> {
    const { rows } = await this.db.query<{ user_hash: string; erasure_id: string | null; created_at: Date }>(
      `select user_hash, erasure_id, created_at from behavior_suppressions
        where tenant_id = $1 and ($2::text is null or user_hash > $2) order by user_hash limit $3`,
      [tenantId, after ?? null, limit],
    );
    return rows.map((r) => ({
      userHash: r.user_hash,
      erasureId: r.erasure_id,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async liftSuppression(tenantId: string, userHash: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'delete from behavior_suppressions where tenant_id = $1 and user_hash = $2',
      [tenantId, userHash],
    );
    return (rowCount ?? 0) > 0;
  }
}
