import { SqlParams, type Queryable } from '@lssm/nest-common';
import type pg from 'pg';
import type { AlertSeverity, AnomalyRuleQuery } from '../contracts/behavior-anomaly-rule.js';
import { TimeKeyset } from '../queries/time-keyset.js';

/** A behavior_alerts row as the API shows it. */
export interface AlertRecord {
  readonly id: string;
  readonly userId: string | null;
  readonly rule: string;
  readonly severity: AlertSeverity;
  readonly incidentKey: string;
  readonly evidence: Record<string, unknown>;
  readonly createdAt: string;
  readonly resolvedAt: string | null;
}

export interface AlertListQuery {
  readonly tenantId: string;
  readonly userId?: string;
  readonly rule?: string;
  readonly severity?: AlertSeverity;
  readonly status?: 'open' | 'resolved';
  /** Inclusive, on created_at. */
  readonly start?: Date;
  /** Exclusive, on created_at. */
  readonly end?: Date;
  readonly limit: number;
  readonly cursor?: string;
}

/** The new signals a rule looks at in one batch (primary key of behavior_signals). */
export interface AnomalyCandidateKeys {
  readonly ids: readonly string[];
  /** Microsecond UTC text, so the join back to the partitioned table is exact. */
  readonly occurredAt: readonly string[];
}

interface AlertRow {
  id: string;
  user_id: string | null;
  rule: string;
  severity: AlertSeverity;
  incident_key: string;
  evidence: Record<string, unknown>;
  created_at: Date;
  resolved_at: Date | null;
  page_key: string;
}

const NEWEST_FIRST = new TimeKeyset('created_at');
const COLUMNS = `id, user_id, rule, severity, incident_key, evidence, created_at, resolved_at, ${NEWEST_FIRST.keyColumn}`;

/** behavior_alerts: incidents written once per (tenant, rule, incident key), listing, resolving. */
export class PostgresAlertRepository {
  constructor(private readonly pool: Queryable) {}

  /**
   * Runs the rule's select over the candidates and inserts one alert per new incident key in the same
   * statement; an incident already alerted hits the unique key and is skipped. Returns the tenant of
   * every alert written.
   */
  async insertIncidents(
    client: pg.ClientBase,
    rule: string,
    query: AnomalyRuleQuery,
    candidates: AnomalyCandidateKeys,
  ): Promise<string[]> {
    const n = query.values.length;
    const { rows } = await client.query<{ tenant_id: string }>(
      `with anomaly_candidates as materialized (
         select s.id, s.tenant_id, s.user_id, s.schema_id, s.occurred_at, s.attributes
           from unnest($${n + 1}::uuid[], $${n + 2}::timestamptz[]) as c(id, occurred_at)
           join behavior_signals s on s.id = c.id and s.occurred_at = c.occurred_at
       ),
       incidents as (${query.text})
       insert into behavior_alerts as a (tenant_id, user_id, rule, severity, incident_key, evidence)
       select distinct on (i.tenant_id, i.incident_key)
              i.tenant_id, i.user_id, $${n + 3}, i.severity, i.incident_key, coalesce(i.evidence, '{}'::jsonb)
         from incidents i
        order by i.tenant_id, i.incident_key
       on conflict (tenant_id, rule, incident_key) do nothing
       returning a.tenant_id`,
      [...query.values, candidates.ids, candidates.occurredAt, rule],
    );
    return rows.map((r) => r.tenant_id);
  }

  async list(query: AlertListQuery): Promise<{ items: AlertRecord[]; nextCursor: string | null }> {
    const params = new SqlParams();
    const param = (value: unknown) => params.add(value);
    const where = [`tenant_id = ${param(query.tenantId)}`];
    if (query.userId !== undefined) where.push(`user_id = ${param(query.userId)}`);
    if (query.rule !== undefined) where.push(`rule = ${param(query.rule)}`);
    if (query.severity !== undefined) where.push(`severity = ${param(query.severity)}`);
    if (query.status !== undefined) where.push(`resolved_at is ${query.status === 'open' ? '' : 'not '}null`);
    if (query.start !== undefined) where.push(`created_at >= ${param(query.start.toISOString())}`);
    if (query.end !== undefined) where.push(`created_at < ${param(query.end.toISOString())}`);
    if (query.cursor !== undefined) where.push(NEWEST_FIRST.after(query.cursor, params));
    const { rows } = await this.pool.query<AlertRow>(
      `select ${COLUMNS} from behavior_alerts where ${where.join(' and ')}
        order by ${NEWEST_FIRST.orderBy} limit ${param(query.limit + 1)}`,
      params.values,
    );
    const page = NEWEST_FIRST.page(rows, query.limit);
    return { items: page.rows.map(toRecord), nextCursor: page.nextCursor };
  }

  /** Marks the alert resolved (the first resolution time is kept); null when the tenant has no such alert. */
  async resolve(tenantId: string, id: string, now: Date): Promise<AlertRecord | null> {
    const { rows } = await this.pool.query<AlertRow>(
      `update behavior_alerts set resolved_at = coalesce(resolved_at, $3::timestamptz)
        where tenant_id = $1 and id = $2::uuid
       returning ${COLUMNS}`,
      [tenantId, id, now.toISOString()],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }
}

function toRecord(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    userId: row.user_id,
    rule: row.rule,
    severity: row.severity,
    incidentKey: row.incident_key,
    evidence: row.evidence,
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at ? row.resolved_at.toISOString() : null,
  };
}
