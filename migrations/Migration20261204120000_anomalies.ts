import { Migration } from '@mikro-orm/migrations';

export class Migration20261204120000_anomalies extends Migration {
  override name = 'Migration20261204120000_anomalies';

  override up(): void {
    // Lifecycle open → acknowledged → resolved. The core detectors keep one unresolved alert per
    // (tenant, rule, subject) and update it while the condition lasts; rules without a subject
    // (add-ons' incident rules) keep their incident-key dedupe.
    this.addSql(`
      alter table behavior_alerts
        add column status text not null default 'open' check (status in ('open', 'acknowledged', 'resolved')),
        add column subject text,
        add column acknowledged_at timestamptz,
        add column updated_at timestamptz not null default now(),
        add column last_seen_at timestamptz;
    `);
    this.addSql(`update behavior_alerts set status = 'resolved' where resolved_at is not null;`);
    this.addSql(`
      create unique index behavior_alerts_open_subject_idx on behavior_alerts (tenant_id, rule, subject)
        where status <> 'resolved' and subject is not null;
    `);
    this.addSql(
      `create index behavior_alerts_tenant_status_idx on behavior_alerts (tenant_id, status, created_at desc);`,
    );
    // Webhook endpoints per tenant. The secret signs every delivery, so it is kept usable (not a
    // hash); it is shown once at creation and never returned again.
    this.addSql(`
      create table behavior_webhooks (
        id uuid primary key default gen_random_uuid(),
        tenant_id text not null references tenants(id) on delete cascade,
        url text not null,
        description text,
        secret text not null,
        created_at timestamptz not null default now()
      );
    `);
    this.addSql(
      `create index behavior_webhooks_tenant_idx on behavior_webhooks (tenant_id, created_at desc);`,
    );
    // The outbox: one row per (webhook, alert, event), written in the transaction that changed the
    // alert, so an event is neither lost nor queued twice.
    this.addSql(`
      create table behavior_webhook_deliveries (
        id uuid primary key default gen_random_uuid(),
        webhook_id uuid not null references behavior_webhooks(id) on delete cascade,
        tenant_id text not null,
        alert_id uuid not null,
        event text not null,
        payload jsonb not null,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz not null default now(),
        delivered_at timestamptz,
        constraint behavior_webhook_deliveries_event_key unique (webhook_id, alert_id, event)
      );
    `);
    this.addSql(`
      create index behavior_webhook_deliveries_due_idx on behavior_webhook_deliveries (next_attempt_at)
        where status = 'pending';
    `);
    this.addSql(
      `create index behavior_webhook_deliveries_log_idx on behavior_webhook_deliveries (webhook_id, created_at desc, id desc);`,
    );
  }

  override down(): void {
    this.addSql('drop table if exists behavior_webhook_deliveries;');
    this.addSql('drop table if exists behavior_webhooks;');
    this.addSql('drop index if exists behavior_alerts_open_subject_idx;');
    this.addSql('drop index if exists behavior_alerts_tenant_status_idx;');
    this.addSql(`
      alter table behavior_alerts drop column status, drop column subject, drop column acknowledged_at,
        drop column updated_at, drop column last_seen_at;
    `);
  }
}
