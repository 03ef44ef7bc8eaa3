import { Migration } from '@mikro-orm/migrations';

export class Migration20261122010000_signals extends Migration {
  override name = 'Migration20261122010000_signals';

  override up(): void {
    // Partitioned by month of occurred_at; partitions are created ahead and on demand
    // by ensure_signal_partition(), so a signal for any month is never refused.
    this.addSql(`
      create table behavior_signals (
        id uuid not null,
        tenant_id text not null,
        user_id text,
        session_id text,
        schema_id text not null,
        schema_version integer not null,
        signal_key text,
        source text,
        occurred_at timestamptz not null,
        ingested_at timestamptz not null,
        attributes jsonb not null,
        primary key (id, occurred_at)
      ) partition by range (occurred_at);
    `);
    this.addSql(
      `create index behavior_signals_tenant_schema_idx on behavior_signals (tenant_id, schema_id, occurred_at desc);`,
    );
    this.addSql(
      `create index behavior_signals_tenant_user_idx on behavior_signals (tenant_id, user_id, occurred_at desc, id desc);`,
    );
    // A unique index on a partitioned table must include the partition key, and a retry
    // may carry another timestamp; idempotency keys therefore live in their own table.
    this.addSql(`
      create table behavior_signal_keys (
        tenant_id text not null,
        schema_id text not null,
        signal_key text not null,
        signal_id uuid not null,
        created_at timestamptz not null default now(),
        primary key (tenant_id, schema_id, signal_key)
      );
    `);
    this.addSql(`
      create table failed_signals (
        id uuid primary key,
        tenant_id text not null,
        schema_id text,
        schema_version integer,
        signal_key text,
        payload jsonb not null,
        reasons jsonb not null,
        failed_at timestamptz not null default now(),
        replayed_at timestamptz,
        replayed_signal_id uuid
      );
    `);
    this.addSql(
      `create index failed_signals_tenant_idx on failed_signals (tenant_id, failed_at desc, id desc);`,
    );
    this.addSql(
      `create index failed_signals_tenant_schema_idx on failed_signals (tenant_id, schema_id, failed_at desc);`,
    );
    this.addSql(`
      create or replace function ensure_signal_partition(month_start date) returns void
      language plpgsql as $$
      declare
        part text := format('behavior_signals_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
      begin
        execute format(
          'create table if not exists %I partition of behavior_signals for values from (%L) to (%L)',
          part, month_start::timestamp at time zone 'UTC', (month_start + interval '1 month')::timestamp at time zone 'UTC');
      exception when duplicate_table or unique_violation then
        null; -- created concurrently by another writer
      end $$;
    `);
  }

  override down(): void {
    this.addSql('drop function if exists ensure_signal_partition(date);');
    this.addSql('drop table if exists failed_signals;');
    this.addSql('drop table if exists behavior_signal_keys;');
    this.addSql('drop table if exists behavior_signals;');
  }
}
