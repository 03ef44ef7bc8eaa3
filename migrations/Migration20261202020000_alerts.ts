import { Migration } from '@mikro-orm/migrations';

export class Migration20261202020000_alerts extends Migration {
  override name = 'Migration20261202020000_alerts';

  override up(): void {
    // One row per incident: the unique key is what makes a rule fire once per incident however
    // often (and in however many batches) it sees the signals behind it; a resolved incident
    // keeps its key, so seeing it again stays quiet.
    this.addSql(`
      create table behavior_alerts (
        id uuid primary key default gen_random_uuid(),
        tenant_id text not null,
        user_id text,
        rule text not null,
        severity text not null check (severity in ('low', 'medium', 'high', 'critical')),
        incident_key text not null,
        evidence jsonb not null default '{}',
        created_at timestamptz not null default now(),
        resolved_at timestamptz,
        constraint behavior_alerts_incident_key unique (tenant_id, rule, incident_key)
      );
    `);
    this.addSql(
      `create index behavior_alerts_tenant_created_idx on behavior_alerts (tenant_id, created_at desc, id desc);`,
    );
    this.addSql(
      `create index behavior_alerts_tenant_user_idx on behavior_alerts (tenant_id, user_id, created_at desc);`,
    );
    // Per rule, where in the committed signal stream it stopped: (xid, seq) as for the metric
    // projection, so no signal is skipped when transactions commit out of order.
    this.addSql(`
      create table behavior_alert_checkpoints (
        rule text primary key,
        last_xid xid8 not null default '0',
        last_seq bigint not null default 0,
        signals_scanned bigint not null default 0,
        updated_at timestamptz not null default now()
      );
    `);
  }

  override down(): void {
    this.addSql('drop table if exists behavior_alert_checkpoints;');
    this.addSql('drop table if exists behavior_alerts;');
  }
}
