import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000000_foundation extends Migration {
  override name = 'Migration20261122000000_foundation';

  override up(): void {
    this.addSql(`
      create table tenants (
        id text primary key check (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
        name text not null,
        created_at timestamptz not null default now()
      );
    `);
    this.addSql(`
      create table api_keys (
        id uuid primary key,
        tenant_id text not null references tenants(id) on delete cascade,
        key_hash text not null unique,
        key_prefix text not null,
        scopes text[] not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
    `);
    this.addSql(`create index api_keys_tenant_idx on api_keys (tenant_id);`);
  }

  override down(): void {
    this.addSql('drop table if exists api_keys;');
    this.addSql('drop table if exists tenants;');
  }
}
