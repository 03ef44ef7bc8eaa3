import { SqlParams, type Queryable } from '@lssm/nest-common';
import type pg from 'pg';
import type { AlertSeverity, AnomalyRuleQuery } from '../contracts/behavior-anomaly-rule.js';
import type { AnomalyFinding } from '../anomalies/anomaly-detector.js';
import { TimeKeyset } from '../queries/time-keyset.js';

/** A behavior_alerts row as the API shows it. */
export interface AlertRecord {
  readonly id: string;
  readonly userId: string | null;
  readonly rule: string;
  readonly severity: AlertSeverity;
  readonly incidentKey: string;
  readonly status: AlertStatus;
  /** What the alert is about within its rule (core detectors), e.g. `schema:content.view`. */
  readonly subject: string | null;
  readonly evidence: Record<string, unknown>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly acknowledgedAt: string | null;
  readonly resolvedAt: string | null;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export const ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'resolved'];

/** An alert change webhooks hear about. */
export type AlertEventType = 'alert.opened' | 'alert.acknowledged' | 'alert.resolved';

export interface AlertEvent {
  readonly alertId: string;
  readonly type: AlertEventType;
}

/** What one detector's findings did to a tenant batch's alerts. */
export interface FindingsApplied {
  readonly opened: readonly string[];
  readonly updated: number;
  readonly resolved: readonly string[];
}

export interface AlertListQuery {
  readonly tenantId: string;
  readonly userId?: string;
  readonly rule?: string;
  readonly severity?: AlertSeverity;
  readonly status?: AlertStatus;
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
  status: AlertStatus;
  subject: string | null;
  evidence: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  page_key: string;
}

const NEWEST_FIRST = new TimeKeyset('created_at');
const COLUMNS = `id, user_id, rule, severity, incident_key, status, subject, evidence, created_at, updated_at,
  acknowledged_at, resolved_at, ${NEWEST_FIRST.keyColumn}`;

// Severity order, for keeping the worst one an open alert reached.
const SEVERITY_RANK = `array['low', 'medium', 'high', 'critical']`;

/** behavior_alerts: incidents written once per (tenant, rule, incident key), listing, resolving. */
export class PostgresAlertRepository {
  constructor(private readonly pool: Queryable) {}

  /**
   * Runs the rule's select over the candidates and inserts one alert per new incident key in the same
   * statement; an incident already alerted hits the unique key and is skipped. Returns the tenant of
   * every alert written and the opened events.
   */
  async insertIncidents(
    client: pg.ClientBase,
    rule: string,
    query: AnomalyRuleQuery,
    candidates: AnomalyCandidateKeys,
  ): Promise<{ tenants: string[]; events: AlertEvent[] }> {
    const n = query.values.length;
    const { rows } = await client.query<{ tenant_id: string; id: string }>(
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
       returning a.tenant_id, a.id`,
      [...query.values, candidates.ids, candidates.occurredAt, rule],
    );
    return {
      tenants: rows.map((r) => r.tenant_id),
      events: rows.map((r) => ({ alertId: r.id, type: 'alert.opened' as const })),
    };
  }

  /**
   * One detector's findings over a tenant batch, three statements in the caller's transaction:
   * unresolved alerts of a subject seen again are updated (latest evidence, worst severity), new
   * subjects open an alert (the partial unique index keeps one unresolved per subject, also under
   * concurrent scans), and unresolved alerts of the batch's tenants whose condition has stayed
   * clear since `clearBefore` resolve themselves.
   */
  async applyFindings(
    client: pg.ClientBase,
    input: {
      readonly rule: string;
      readonly tenantIds: readonly string[];
      readonly findings: readonly AnomalyFinding[];
      /** The judged window's end: the "last seen" of every finding. */
      readonly seenAt: Date;
      readonly clearBefore: Date;
      readonly now: Date;
    },
  ): Promise<FindingsApplied> {
    const f = input.findings;
    const findings = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
                        as f(tenant_id, subject, user_id, severity, evidence)`;
    const values = [
      f.map((x) => x.tenantId),
      f.map((x) => x.subject),
      f.map((x) => x.userId),
      f.map((x) => x.severity),
      f.map((x) => JSON.stringify(x.evidence)),
      input.rule,
      input.seenAt.toISOString(),
      input.now.toISOString(),
    ];
    const updated = await client.query(
      `update behavior_alerts a
          set evidence = f.evidence || jsonb_build_object('firstWindow',
                coalesce(a.evidence->'firstWindow', a.evidence->'window')),
              severity = case when array_position(${SEVERITY_RANK}, f.severity)
                                 > array_position(${SEVERITY_RANK}, a.severity) then f.severity else a.severity end,
              last_seen_at = $7::timestamptz, updated_at = $8::timestamptz
         from ${findings}
        where a.tenant_id = f.tenant_id and a.rule = $6 and a.subject = f.subject and a.status <> 'resolved'`,
      values,
    );
    const opened = await client.query<{ id: string }>(
      `insert into behavior_alerts as a (tenant_id, user_id, rule, severity, incident_key, evidence, subject,
                                         status, created_at, updated_at, last_seen_at)
       select f.tenant_id, f.user_id, $6, f.severity,
              f.subject || '@' || to_char($7::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
              f.evidence, f.subject,
              'open', $8::timestamptz, $8::timestamptz, $7::timestamptz
         from ${findings}
        where not exists (select 1 from behavior_alerts o
                           where o.tenant_id = f.tenant_id and o.rule = $6 and o.subject = f.subject
                             and o.status <> 'resolved')
       on conflict do nothing
       returning a.id`,
      values,
    );
    const resolved = await client.query<{ id: string }>(
      `update behavior_alerts a
          set status = 'resolved', resolved_at = $4::timestamptz, updated_at = $4::timestamptz,
              evidence = a.evidence || jsonb_build_object('resolution', 'condition cleared', 'clearSince', a.last_seen_at)
        where a.tenant_id = any($1::text[]) and a.rule = $2 and a.status <> 'resolved' and a.subject is not null
          and a.last_seen_at <= $3::timestamptz and a.last_seen_at < $5::timestamptz
       returning a.id`,
      [
        input.tenantIds,
        input.rule,
        input.clearBefore.toISOString(),
        input.now.toISOString(),
        input.seenAt.toISOString(),
      ],
    );
    return {
      opened: opened.rows.map((r) => r.id),
      updated: updated.rowCount ?? 0,
      resolved: resolved.rows.map((r) => r.id),
    };
  }

  async list(query: AlertListQuery): Promise<{ items: AlertRecord[]; nextCursor: string | null }> {
    const params = new SqlParams();
    const param = (value: unknown) => params.add(value);
    const where = [`tenant_id = ${param(query.tenantId)}`];
    if (query.userId !== undefined) where.push(`user_id = ${param(query.userId)}`);
    if (query.rule !== undefined) where.push(`rule = ${param(query.rule)}`);
    if (query.severity !== undefined) where.push(`severity = ${param(query.severity)}`);
    if (query.status !== undefined) where.push(`status = ${param(query.status)}`);
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

  async get(
    client: Pick<pg.ClientBase, 'query'>,
    tenantId: string,
    id: string,
    lock = false,
  ): Promise<AlertRecord | null> {
    const { rows } = await client.query<AlertRow>(
      `select ${COLUMNS} from behavior_alerts where tenant_id = $1 and id = $2::uuid${lock ? ' for update' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Moves the alert to `status` (the caller checked the move); the first time of each state is kept. */
  async setStatus(
    client: pg.ClientBase,
    tenantId: string,
    id: string,
    status: 'acknowledged' | 'resolved',
    now: Date,
  ): Promise<AlertRecord> {
    const { rows } = await client.query<AlertRow>(
      `update behavior_alerts
          set status = $3, updated_at = $4::timestamptz,
              acknowledged_at = case when $3 = 'acknowledged' then coalesce(acknowledged_at, $4::timestamptz)
                                     else acknowledged_at end,
              resolved_at = case when $3 = 'resolved' then coalesce(resolved_at, $4::timestamptz) else resolved_at end
        where tenant_id = $1 and id = $2::uuid
       returning ${COLUMNS}`,
      [tenantId, id, status, now.toISOString()],
    );
    return toRecord(rows[0]!);
  }
}

function toRecord(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    userId: row.user_id,
    rule: row.rule,
    severity: row.severity,
    incidentKey: row.incident_key,
    status: row.status,
    subject: row.subject,
    evidence: row.evidence,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    acknowledgedAt: row.acknowledged_at ? row.acknowledged_at.toISOString() : null,
    resolvedAt: row.resolved_at ? row.resolved_at.toISOString() : null,
  };
}
