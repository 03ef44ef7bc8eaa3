import { SqlParams, type Queryable } from '@lssm/nest-common';
import { TimeKeyset } from '../queries/time-keyset.js';

/** One page of a user's rows of one kind, and where the next page starts (null after the last). */
export interface UserExportPage {
  readonly rows: Record<string, unknown>[];
  readonly after: string | null;
}

/** A page already rendered as NDJSON lines (without their newline), each with its `type` first. */
export interface UserExportLinePage {
  readonly lines: string[];
  readonly after: string | null;
}

export type UserExportLineReader = (
  tenantId: string,
  userId: string,
  after: string | null,
  limit: number,
) => Promise<UserExportLinePage>;

export type UserExportPageReader = (
  tenantId: string,
  userId: string,
  after: string | null,
  limit: number,
) => Promise<UserExportPage>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** The same text as Date#toISOString, whatever the session's TimeZone. */
const isoSql = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Keyset pages ordered oldest first. Each page is one short statement on the given lane (the read
// lane: its statement_timeout bounds a page, not the whole export), so a slow reader never holds
// a connection or a snapshot between pages.
const SIGNALS = new TimeKeyset('occurred_at', 'asc');
const ALERTS = new TimeKeyset('created_at', 'asc');
const FAILED = new TimeKeyset('failed_at', 'asc');

/**
 * Reads everything behavior-core's tables hold about one user of one tenant, page by page, for a
 * user's data export (docs/privacy.md#export). Values are exported as stored: sensitive
 * attributes hashed or encrypted at ingestion stay so.
 */
export class UserExportRepository {
  constructor(private readonly pool: Queryable) {}

  /**
   * behavior_signals (every monthly partition), through behavior_signals_tenant_user_idx. The
   * largest kind by far, so PostgreSQL renders each line's JSON: the service then handles one
   * string per row instead of parsing attributes into objects and serializing them again, which
   * keeps the garbage per page (and so the memory the export costs between collections) small.
   */
  readonly signals: UserExportLineReader = async (tenantId, userId, after, limit) => {
    const params = new SqlParams();
    const where = [`tenant_id = ${params.add(tenantId)}`, `user_id = ${params.add(userId)}`];
    if (after !== null) where.push(SIGNALS.after(after, params));
    // row_to_json renders compact JSON with the columns in this order (`type` first).
    const { rows } = await this.pool.query<{ id: string; page_key: string; line: string }>(
      `select s.id, ${SIGNALS.keyColumn},
              row_to_json((select x from (select 'signal' as "type", s.id, s.user_id as "userId",
                 s.session_id as "sessionId", s.schema_id as "schemaId", s.schema_version as "schemaVersion",
                 s.signal_key as "signalKey", s.source, ${isoSql('s.occurred_at')} as "timestamp",
                 ${isoSql('s.ingested_at')} as "ingestedAt", s.attributes) x))::text as line
         from behavior_signals s
        where ${where.join(' and ')} order by ${SIGNALS.orderBy} limit ${params.add(limit + 1)}`,
      params.values,
    );
    const page = SIGNALS.page(rows, limit);
    return { lines: page.rows.map((r) => r.line), after: page.nextCursor };
  };

  /** Daily metrics, one row per (day, metric) through the behavior_signal_metrics view. */
  readonly metrics: UserExportPageReader = async (tenantId, userId, after, limit) => {
    const from = after === null ? null : (JSON.parse(after) as [string, string]);
    const { rows } = await this.pool.query<Record<string, any>>(
      `select to_char(metric_date, 'YYYY-MM-DD') as date, metric_key, metric_value::text as metric_value, metric_type,
              attributes, value_sum::text as value_sum, value_count::text as value_count, projector, updated_at
         from behavior_signal_metrics
        where tenant_id = $1 and user_id = $2
          and ($3::date is null or (metric_date, metric_key) > ($3::date, $4::text))
        order by metric_date, metric_key limit $5`,
      [tenantId, userId, from?.[0] ?? null, from?.[1] ?? null, limit + 1],
    );
    return keyed(
      rows,
      limit,
      (r) => [r.date, r.metric_key],
      (r) => ({
        date: r.date,
        metricKey: r.metric_key,
        // Decimal text, as stored: a JSON number could lose digits of a numeric.
        value: r.metric_value,
        metricType: r.metric_type,
        attributes: r.attributes,
        valueSum: r.value_sum,
        valueCount: r.value_count,
        projector: r.projector,
        updatedAt: iso(r.updated_at),
      }),
    );
  };

  /** The members of `distinct` metrics (the values counted once per day). */
  readonly metricValues: UserExportPageReader = async (tenantId, userId, after, limit) => {
    const from = after === null ? null : (JSON.parse(after) as [string, string, string]);
    const { rows } = await this.pool.query<Record<string, any>>(
      `select to_char(metric_date, 'YYYY-MM-DD') as date, metric_key, value
         from behavior_signal_metric_values
        where tenant_id = $1 and user_id = $2
          and ($3::date is null or (metric_date, metric_key, value) > ($3::date, $4::text, $5::text))
        order by metric_date, metric_key, value limit $6`,
      [tenantId, userId, from?.[0] ?? null, from?.[1] ?? null, from?.[2] ?? null, limit + 1],
    );
    return keyed(
      rows,
      limit,
      (r) => [r.date, r.metric_key, r.value],
      (r) => ({ date: r.date, metricKey: r.metric_key, value: r.value }),
    );
  };

  readonly insights: UserExportPageReader = async (tenantId, userId, after, limit) => {
    const { rows } = await this.pool.query<Record<string, any>>(
      `select insight_type, scores, labels, segment, evidence, analyzed_at, valid_until, analysis_version
         from behavior_insights
        where tenant_id = $1 and user_id = $2 and ($3::text is null or insight_type > $3)
        order by insight_type limit $4`,
      [tenantId, userId, after === null ? null : (JSON.parse(after) as [string])[0], limit + 1],
    );
    return keyed(
      rows,
      limit,
      (r) => [r.insight_type],
      (r) => ({
        insightType: r.insight_type,
        scores: r.scores,
        labels: r.labels,
        segment: r.segment,
        evidence: r.evidence,
        analyzedAt: iso(r.analyzed_at),
        validUntil: iso(r.valid_until),
        analysisVersion: r.analysis_version,
      }),
    );
  };

  /** Alerts whose user_id is the user (open and resolved). */
  readonly alerts: UserExportPageReader = async (tenantId, userId, after, limit) => {
    const params = new SqlParams();
    const where = [`tenant_id = ${params.add(tenantId)}`, `user_id = ${params.add(userId)}`];
    if (after !== null) where.push(ALERTS.after(after, params));
    const { rows } = await this.pool.query<Record<string, any> & { id: string; page_key: string }>(
      `select id, rule, severity, incident_key, evidence, created_at, resolved_at, ${ALERTS.keyColumn}
         from behavior_alerts where ${where.join(' and ')}
        order by ${ALERTS.orderBy} limit ${params.add(limit + 1)}`,
      params.values,
    );
    const page = ALERTS.page(rows, limit);
    return {
      rows: page.rows.map((r) => ({
        id: r.id,
        rule: r.rule,
        severity: r.severity,
        incidentKey: r.incident_key,
        evidence: r.evidence,
        createdAt: iso(r.created_at),
        resolvedAt: iso(r.resolved_at),
      })),
      after: page.nextCursor,
    };
  };

  /** Failed signals whose submitted payload names the user (`payload.userId`), through failed_signals_tenant_user_idx. */
  readonly failedSignals: UserExportPageReader = async (tenantId, userId, after, limit) => {
    const params = new SqlParams();
    const where = [`tenant_id = ${params.add(tenantId)}`, `payload ->> 'userId' = ${params.add(userId)}`];
    if (after !== null) where.push(FAILED.after(after, params));
    const { rows } = await this.pool.query<Record<string, any> & { id: string; page_key: string }>(
      `select id, schema_id, schema_version, signal_key, payload, reasons, failed_at, replayed_at,
              replayed_signal_id, ${FAILED.keyColumn}
         from failed_signals where ${where.join(' and ')}
        order by ${FAILED.orderBy} limit ${params.add(limit + 1)}`,
      params.values,
    );
    const page = FAILED.page(rows, limit);
    return {
      rows: page.rows.map((r) => ({
        id: r.id,
        schemaId: r.schema_id,
        schemaVersion: r.schema_version,
        signalKey: r.signal_key,
        payload: r.payload,
        reasons: r.reasons,
        failedAt: iso(r.failed_at),
        replayedAt: iso(r.replayed_at),
        replayedSignalId: r.replayed_signal_id,
      })),
      after: page.nextCursor,
    };
  };
}

/** Cuts a `limit + 1` read to the page; the next page starts after the last row's key. */
function keyed<R>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => unknown[],
  toLine: (row: R) => Record<string, unknown>,
): UserExportPage {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map(toLine),
    after: rows.length > limit && last ? JSON.stringify(keyOf(last)) : null,
  };
}
