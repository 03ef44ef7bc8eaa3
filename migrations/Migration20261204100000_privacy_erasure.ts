import { Migration } from '@mikro-orm/migrations';

export class Migration20261204100000_privacy_erasure extends Migration {
  override name = 'Migration20261204100000_privacy_erasure';

  override up(): void {
    // One row per erasure request (a user's data, or a whole tenant's), the job's work list and,
    // once finished, its audit record. user_id is held only while the erasure is pending (a job
    // resuming after a restart needs it) and cleared in the transaction that completes it;
    // user_hash (keyed HMAC) still correlates requests for the same user afterwards.
    this.addSql(`
      create table behavior_erasures (
        id uuid primary key,
        tenant_id text not null,
        kind text not null check (kind in ('user', 'tenant')),
        user_id text,
        user_hash text,
        requested_by text not null,
        status text not null check (status in ('queued', 'running', 'completed', 'failed')),
        counts jsonb not null default '{}'::jsonb,
        attempts integer not null default 0,
        error text,
        lease_until timestamptz,
        requested_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz,
        constraint behavior_erasures_user_kind check ((kind = 'user') = (user_hash is not null)),
        constraint behavior_erasures_done_anonymous check (status <> 'completed' or user_id is null)
      );
    `);
    // The job's pick-up scan: only unfinished rows are indexed.
    this.addSql(
      `create index behavior_erasures_pending_idx on behavior_erasures (requested_at) where status in ('queued', 'running');`,
    );
    this.addSql(
      `create index behavior_erasures_tenant_idx on behavior_erasures (tenant_id, requested_at desc);`,
    );
    // Users whose new signals are refused (or pseudonymized): the keyed hash only, per tenant.
    // The ingestion write probes the primary key once per signal naming a user.
    this.addSql(`
      create table behavior_suppressions (
        tenant_id text not null,
        user_hash text not null,
        erasure_id uuid,
        created_at timestamptz not null default now(),
        primary key (tenant_id, user_hash)
      );
    `);
    // The key user ids are hashed with when ai.behavior.privacy.hashSecret is not set: random per
    // installation, generated here (gen_random_uuid draws from the server's strong random source).
    this.addSql(`
      create table behavior_privacy_secrets (
        id smallint primary key check (id = 1),
        secret text not null,
        created_at timestamptz not null default now()
      );
    `);
    this.addSql(`
      insert into behavior_privacy_secrets (id, secret)
      values (1, encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'));
    `);
  }

  override down(): void {
    this.addSql('drop table if exists behavior_privacy_secrets;');
    this.addSql('drop table if exists behavior_suppressions;');
    this.addSql('drop table if exists behavior_erasures;');
  }
}
