import { Migration } from '@mikro-orm/migrations';

export class Migration20261122030000_overlays extends Migration {
  override name = 'Migration20261122030000_overlays';

  override up(): void {
    // One row per overlay version. spec is the exact JSON that is (or will be) signed; the
    // scope columns duplicate it for filtering. Signed versions never change (the service
    // only updates rows with status 'draft').
    this.addSql(`
      create table overlays (
        tenant_id text not null references tenants(id) on delete cascade,
        overlay_id text not null,
        version integer not null check (version >= 1),
        capability text not null,
        scope jsonb not null default '{}'::jsonb,
        role text,
        user_id text,
        device text,
        spec jsonb not null,
        signature jsonb,
        key_id text,
        status text not null check (status in ('draft', 'signed', 'archived')),
        signed_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint overlays_pkey primary key (tenant_id, overlay_id, version),
        constraint overlays_signed_has_signature check (status <> 'signed' or signature is not null)
      );
    `);
    // At most one draft per overlay: edits go to it, signing freezes it.
    this.addSql(
      `create unique index overlays_one_draft_idx on overlays (tenant_id, overlay_id) where status = 'draft';`,
    );
    this.addSql(
      `create index overlays_signed_idx on overlays (tenant_id, capability, overlay_id, version desc) where status = 'signed';`,
    );
    // private_key_encrypted: AES-256-GCM under the key-encryption key, bound to (tenant, key id);
    // null when only the public key was imported, and after revocation.
    this.addSql(`
      create table overlay_signing_keys (
        tenant_id text not null references tenants(id) on delete cascade,
        key_id text not null,
        algorithm text not null check (algorithm in ('ed25519', 'rsa-pss-sha256')),
        public_key text not null,
        private_key_encrypted text,
        created_at timestamptz not null default now(),
        revoked_at timestamptz,
        constraint overlay_signing_keys_pkey primary key (tenant_id, key_id)
      );
    `);
    // Append-only and written in batches off the request path; no foreign keys to keep it cheap.
    this.addSql(`
      create table overlay_audit (
        id bigint generated always as identity primary key,
        tenant_id text not null,
        overlay_id text not null,
        version integer not null,
        key_id text,
        capability text not null,
        context jsonb not null,
        applied_at timestamptz not null
      );
    `);
    this.addSql(
      `create index overlay_audit_tenant_applied_idx on overlay_audit (tenant_id, applied_at desc, id desc);`,
    );
    this.addSql(`
      create table overlay_base_specs (
        tenant_id text not null references tenants(id) on delete cascade,
        capability text not null,
        spec jsonb not null,
        updated_at timestamptz not null default now(),
        constraint overlay_base_specs_pkey primary key (tenant_id, capability)
      );
    `);
  }

  override down(): void {
    this.addSql('drop table if exists overlay_base_specs;');
    this.addSql('drop table if exists overlay_audit;');
    this.addSql('drop table if exists overlay_signing_keys;');
    this.addSql('drop table if exists overlays;');
  }
}
