import { Migration } from '@mikro-orm/migrations';

export class Migration20261204110000_privacy_export extends Migration {
  override name = 'Migration20261204110000_privacy_export';

  override up(): void {
    // A user's export reads failed signals and overlay audit rows by the user id inside their JSON;
    // without these it would scan every row of the tenant. Keyset order columns follow the user id,
    // so each export page is one index range scan.
    this.addSql(`
      create index failed_signals_tenant_user_idx
        on failed_signals (tenant_id, (payload ->> 'userId'), failed_at, id)
        where payload ->> 'userId' is not null;
    `);
    this.addSql(`
      create index overlay_audit_tenant_user_idx
        on overlay_audit (tenant_id, (context ->> 'userId'), applied_at, id)
        where context ->> 'userId' is not null;
    `);
    // Retention deletes by age across tenants (ai.behavior.retention.alertsDays, overlayAuditDays);
    // open alerts are never aged out, so they stay out of the index.
    this.addSql(
      `create index behavior_alerts_resolved_idx on behavior_alerts (resolved_at) where resolved_at is not null;`,
    );
    this.addSql(`create index overlay_audit_applied_idx on overlay_audit (applied_at);`);
  }

  override down(): void {
    this.addSql('drop index if exists overlay_audit_applied_idx;');
    this.addSql('drop index if exists behavior_alerts_resolved_idx;');
    this.addSql('drop index if exists overlay_audit_tenant_user_idx;');
    this.addSql('drop index if exists failed_signals_tenant_user_idx;');
  }
}
