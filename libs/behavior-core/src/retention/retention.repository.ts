import type { Queryable } from '@lssm/nest-common';
import type { RetentionCutoffs } from './retention-cutoffs.js';

/** Rows per delete statement: short transactions, so ingestion never waits on a long lock. */
const CHUNK = 5_000;

/** Signal `s` is behind the consumer's checkpoint of its partition and not parked for it. */
const deliveredTo = (consumer: string) => `exists (select 1 from behavior_stream_checkpoints k
               where k.consumer = ${consumer} and k.stream_partition = s.stream_partition
                 and (s.xid, s.seq) <= (k.last_xid, k.last_seq))
     and not exists (select 1 from behavior_parked_signals p
                      where p.consumer = ${consumer} and p.signal_id = s.id and p.replayed_at is null)`;

/** A monthly partition holding a signal the consumer has not delivered (one index probe per stream partition). */
const undeliveredIn = (table: string) => `
select exists (
  select 1 from generate_series(0, $2::int - 1) as g(p)
  left join behavior_stream_checkpoints k on k.consumer = $1 and k.stream_partition = g.p
  cross join lateral (select 1 from "${table}" s
                       where s.stream_partition = g.p
                         and (s.xid, s.seq) > (coalesce(k.last_xid, '0'::xid8), coalesce(k.last_seq, 0))
                       limit 1) x
) or exists (select 1 from behavior_parked_signals p join "${table}" s on s.id = p.signal_id
              where p.consumer = $1 and p.replayed_at is null) as found`;

/** Hybrid storage: the sink holding the cold copy, and the hot window's start. */
export interface ColdStore {
  /** Its stream consumer (`sink:<name>`). */
  readonly consumer: string;
  readonly partitions: number;
  /** Signals older than this leave PostgreSQL once the sink has them. */
  readonly hotBefore: Date;
}

// Signals and idempotency keys share the rule: the schema's own cutoff when it is shorter,
// else the service-wide one. `$1/$2` carry the per-schema cutoffs as parallel arrays
// (a key table has no partitions, so it ignores the pruning bound `$5`).
const SIGNALS = `
delete from behavior_signals where (id, occurred_at) in (
  select s.id, s.occurred_at
    from behavior_signals s
    left join unnest($1::text[], $2::timestamptz[]) as c(schema_id, before) on c.schema_id = s.schema_id
   where s.occurred_at < $5::timestamptz -- the latest cutoff: lets the planner skip young partitions
     and s.occurred_at < coalesce(c.before, $3)
     and ($4::text is null or s.tenant_id = $4)
     and ($6::text is null or ${deliveredTo('$6')})
   limit ${CHUNK})`;

// Hybrid: signals past the hot window that the cold sink has delivered.
const HOT_SIGNALS = `
delete from behavior_signals where (id, occurred_at) in (
  select s.id, s.occurred_at
    from behavior_signals s
   where s.occurred_at < $1::timestamptz
     and ($2::text is null or s.tenant_id = $2)
     and ${deliveredTo('$3')}
   limit ${CHUNK})`;

const SIGNAL_KEYS = `
delete from behavior_signal_keys where (tenant_id, schema_id, signal_key) in (
  select k.tenant_id, k.schema_id, k.signal_key
    from behavior_signal_keys k
    left join unnest($1::text[], $2::timestamptz[]) as c(schema_id, before) on c.schema_id = k.schema_id
   where k.created_at < coalesce(c.before, $3)
     and ($4::text is null or k.tenant_id = $4)
   limit ${CHUNK})`;

const FAILED = `
delete from failed_signals where id in (
  select id from failed_signals where failed_at < $1 and ($2::text is null or tenant_id = $2) limit ${CHUNK})`;

const METRICS = `
delete from behavior_metric_days where (tenant_id, user_id, metric_date) in (
  select tenant_id, user_id, metric_date from behavior_metric_days
   where metric_date < $1::date and ($2::text is null or tenant_id = $2) limit ${CHUNK})`;

const METRIC_VALUES = `
delete from behavior_signal_metric_values where (tenant_id, user_id, metric_date, metric_key, value) in (
  select tenant_id, user_id, metric_date, metric_key, value from behavior_signal_metric_values
   where metric_date < $1::date and ($2::text is null or tenant_id = $2) limit ${CHUNK})`;

const INSIGHTS = `
delete from behavior_insights where (tenant_id, user_id, insight_type) in (
  select tenant_id, user_id, insight_type from behavior_insights
   where analyzed_at < $1 and ($2::text is null or tenant_id = $2) limit ${CHUNK})`;

// Open alerts (resolved_at null) never match: behavior_alerts_resolved_idx holds resolved ones only.
const ALERTS = `
delete from behavior_alerts where id in (
  select id from behavior_alerts
   where resolved_at < $1 and ($2::text is null or tenant_id = $2) limit ${CHUNK})`;

// Only completed erasures: a queued, running or failed one still has work (and its user id) to finish.
const ERASURE_AUDITS = `
delete from behavior_erasures where id in (
  select id from behavior_erasures
   where status = 'completed' and finished_at < $1 and ($2::text is null or tenant_id = $2) limit ${CHUNK})`;

// Monthly partitions are named by ensure_signal_partition(): behavior_signals_yYYYYmMM.
const PARTITIONS = `
select c.relname as name
  from pg_inherits i
  join pg_class c on c.oid = i.inhrelid
  join pg_class p on p.oid = i.inhparent
 where p.relname = 'behavior_signals' and c.relname ~ '^behavior_signals_y[0-9]{4}m[0-9]{2}$'
 order by c.relname`;

export interface RetentionDeleted {
  partitionsDropped: string[];
  signals: number;
  signalKeys: number;
  failedSignals: number;
  metrics: number;
  metricValues: number;
  insights: number;
  alerts: number;
  erasureAudits: number;
}

/** Set-based deletes in bounded chunks; whole months go by dropping their partition. */
export class RetentionRepository {
  constructor(private readonly pool: Queryable) {}

  /** With a cold store, no signal leaves PostgreSQL before that sink delivered it, whatever its age. */
  async apply(
    cutoffs: RetentionCutoffs,
    tenantId: string | null,
    cold?: ColdStore,
  ): Promise<RetentionDeleted> {
    // Dropping a partition removes every tenant's rows, so only a service-wide run may.
    const partitionsDropped = tenantId === null ? await this.dropExpiredPartitions(cutoffs, cold) : [];
    const schemaIds = cutoffs.perSchema.map((c) => c.schemaId);
    const befores = cutoffs.perSchema.map((c) => c.before);
    const latest = new Date(Math.max(cutoffs.signalsBefore.getTime(), ...befores.map((b) => b.getTime())));
    const bySchema = [schemaIds, befores, cutoffs.signalsBefore, tenantId];
    return {
      partitionsDropped,
      signals:
        (await this.drain(SIGNALS, [...bySchema, latest, cold?.consumer ?? null])) +
        (cold ? await this.drain(HOT_SIGNALS, [cold.hotBefore, tenantId, cold.consumer]) : 0),
      signalKeys: await this.drain(SIGNAL_KEYS, bySchema),
      failedSignals: await this.drain(FAILED, [cutoffs.signalsBefore, tenantId]),
      metrics: await this.drain(METRICS, [cutoffs.metricsBefore, tenantId]),
      metricValues: await this.drain(METRIC_VALUES, [cutoffs.metricsBefore, tenantId]),
      insights: await this.drain(INSIGHTS, [cutoffs.insightsBefore, tenantId]),
      alerts: await this.drain(ALERTS, [cutoffs.alertsResolvedBefore, tenantId]),
      erasureAudits: await this.drain(ERASURE_AUDITS, [cutoffs.erasureAuditsBefore, tenantId]),
    };
  }

  private async dropExpiredPartitions(cutoffs: RetentionCutoffs, cold?: ColdStore): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(PARTITIONS);
    const endingBy = Math.max(cutoffs.partitionsEndingBy.getTime(), cold?.hotBefore.getTime() ?? 0);
    const dropped: string[] = [];
    for (const { name } of rows) {
      const year = Number(name.slice(-7, -3));
      const month = Number(name.slice(-2));
      const end = new Date(Date.UTC(year, month, 1)); // first instant of the next month
      if (end.getTime() > endingBy) continue;
      if (cold) {
        const { rows: held } = await this.pool.query<{ found: boolean }>(undeliveredIn(name), [
          cold.consumer,
          cold.partitions,
        ]);
        if (held[0].found) continue;
      }
      await this.pool.query(`drop table if exists "${name}"`);
      dropped.push(name);
    }
    return dropped;
  }

  private async drain(sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(sql, params);
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < CHUNK) return total;
    }
  }
}
