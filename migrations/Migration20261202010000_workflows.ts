import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010000_workflows extends Migration {
  override name = 'Migration20261202010000_workflows';

  override up(): void {
    // One row per published base version. A version never changes once stored (the service
    // answers 409 to a different body), so extensions pinned to it keep meaning the same anchors.
    this.addSql(`
      create table workflow_bases (
        tenant_id text not null references tenants(id) on delete cascade,
        workflow_id text not null,
        version integer not null check (version >= 1),
        name text,
        spec jsonb not null,
        created_at timestamptz not null default now(),
        constraint workflow_bases_pkey primary key (tenant_id, workflow_id, version)
      );
    `);
    // spec is the whole WorkflowExtension as the composer takes it; role, device, base_version
    // and priority duplicate it so compose can select the matching rows in SQL.
    this.addSql(`
      create table workflow_extensions (
        tenant_id text not null references tenants(id) on delete cascade,
        workflow_id text not null,
        extension_id text not null,
        role text,
        device text,
        base_version integer check (base_version >= 1),
        priority double precision not null default 0,
        spec jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint workflow_extensions_pkey primary key (tenant_id, workflow_id, extension_id)
      );
    `);
  }

  override down(): void {
    this.addSql('drop table if exists workflow_extensions;');
    this.addSql('drop table if exists workflow_bases;');
  }
}
