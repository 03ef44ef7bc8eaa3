import type { Queryable } from '@lssm/nest-common';
import type pg from 'pg';
import type { AlertEvent } from '../alerts/postgres-alert.repository.js';

export interface WebhookRecord {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly createdAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRecord {
  readonly id: string;
  readonly alertId: string;
  readonly event: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly tenantId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly secret: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
  /** This attempt's number (1 for the first). */
  readonly attempt: number;
}

interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  created_at: Date;
}

interface DeliveryRow {
  id: string;
  alert_id: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** behavior_webhooks and their outbox, behavior_webhook_deliveries. */
export class PostgresWebhookRepository {
  constructor(private readonly pool: Queryable) {}

  async create(tenantId: string, input: { url: string; description: string | null; secret: string }) {
    const { rows } = await this.pool.query<WebhookRow>(
      `insert into behavior_webhooks (tenant_id, url, description, secret) values ($1, $2, $3, $4)
       returning id, url, description, created_at`,
      [tenantId, input.url, input.description, input.secret],
    );
    return toWebhook(rows[0]!);
  }

  async list(tenantId: string): Promise<WebhookRecord[]> {
    const { rows } = await this.pool.query<WebhookRow>(
      `select id, url, description, created_at from behavior_webhooks where tenant_id = $1
        order by created_at desc, id desc`,
      [tenantId],
    );
    return rows.map(toWebhook);
  }

  async get(tenantId: string, id: string): Promise<WebhookRecord | null> {
    const { rows } = await this.pool.query<WebhookRow>(
      `select id, url, description, created_at from behavior_webhooks where tenant_id = $1 and id = $2::uuid`,
      [tenantId, id],
    );
    return rows[0] ? toWebhook(rows[0]) : null;
  }

  /** Deletes the webhook and its delivery log; false when the tenant has no such webhook. */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const result = await this.pool.query(
      `delete from behavior_webhooks where tenant_id = $1 and id = $2::uuid`,
      [tenantId, id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /** The newest deliveries of one webhook of the tenant. */
  async deliveries(tenantId: string, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `select id, alert_id, event, status, attempts, next_attempt_at, last_attempt_at, last_status_code,
              last_error, created_at, delivered_at
         from behavior_webhook_deliveries where tenant_id = $1 and webhook_id = $2::uuid
        order by created_at desc, id desc limit $3`,
      [tenantId, webhookId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      alertId: r.alert_id,
      event: r.event,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
      lastAttemptAt: iso(r.last_attempt_at),
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      deliveredAt: iso(r.delivered_at),
    }));
  }

  /**
   * Queues each alert event for every webhook of the alert's tenant, in the caller's transaction
   * (the one that changed the alert). The payload is the alert as it is now; an event already
   * queued for a webhook is not queued twice.
   */
  async enqueue(client: pg.ClientBase, events: readonly AlertEvent[], now: Date): Promise<number> {
    if (events.length === 0) return 0;
    const result = await client.query(
      `insert into behavior_webhook_deliveries (webhook_id, tenant_id, alert_id, event, payload, next_attempt_at, created_at)
       select w.id, a.tenant_id, a.id, e.event,
              jsonb_build_object('type', e.event, 'createdAt', $3::timestamptz, 'tenantId', a.tenant_id,
                'alert', jsonb_build_object('id', a.id, 'rule', a.rule, 'severity', a.severity, 'status', a.status,
                  'subject', a.subject, 'userId', a.user_id, 'incidentKey', a.incident_key, 'evidence', a.evidence,
                  'createdAt', a.created_at, 'acknowledgedAt', a.acknowledged_at, 'resolvedAt', a.resolved_at)),
              $3::timestamptz, $3::timestamptz
         from unnest($1::uuid[], $2::text[]) e(alert_id, event)
         join behavior_alerts a on a.id = e.alert_id
         join behavior_webhooks w on w.tenant_id = a.tenant_id
       on conflict on constraint behavior_webhook_deliveries_event_key do nothing`,
      [events.map((e) => e.alertId), events.map((e) => e.type), now.toISOString()],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Claims up to `limit` due deliveries for one attempt each: the attempt is counted and the row
   * is pushed `leaseMs` ahead, so a concurrent worker skips it (a worker that dies mid-attempt
   * leaves it to be retried after the lease).
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<{
      id: string;
      tenant_id: string;
      webhook_id: string;
      url: string;
      secret: string;
      event: string;
      payload: Record<string, unknown>;
      attempts: number;
    }>(
      `with due as (
         select id from behavior_webhook_deliveries
          where status = 'pending' and next_attempt_at <= $1::timestamptz
          order by next_attempt_at limit $2
          for update skip locked
       )
       update behavior_webhook_deliveries d
          set attempts = d.attempts + 1, last_attempt_at = $1::timestamptz,
              next_attempt_at = $1::timestamptz + $3::interval
         from due, behavior_webhooks w
        where d.id = due.id and w.id = d.webhook_id
       returning d.id, d.tenant_id, d.webhook_id, w.url, w.secret, d.event, d.payload, d.attempts`,
      [now.toISOString(), limit, `${leaseMs} milliseconds`],
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      webhookId: r.webhook_id,
      url: r.url,
      secret: r.secret,
      event: r.event,
      payload: r.payload,
      attempt: r.attempts,
    }));
  }

  async markDelivered(id: string, now: Date, statusCode: number): Promise<void> {
    await this.pool.query(
      `update behavior_webhook_deliveries
          set status = 'delivered', delivered_at = $2::timestamptz, last_status_code = $3, last_error = null
        where id = $1`,
      [id, now.toISOString(), statusCode],
    );
  }

  /** Records a failed attempt: retried at `retryAt`, or given up (`failed`) when null. */
  async markFailed(
    id: string,
    failure: { statusCode: number | null; error: string },
    retryAt: Date | null,
  ): Promise<void> {
    await this.pool.query(
      `update behavior_webhook_deliveries
          set status = case when $4::timestamptz is null then 'failed' else 'pending' end,
              next_attempt_at = coalesce($4::timestamptz, next_attempt_at),
              last_status_code = $2, last_error = $3
        where id = $1`,
      [id, failure.statusCode, failure.error.slice(0, 500), retryAt?.toISOString() ?? null],
    );
  }
}

function toWebhook(row: WebhookRow): WebhookRecord {
  return { id: row.id, url: row.url, description: row.description, createdAt: row.created_at.toISOString() };
}
