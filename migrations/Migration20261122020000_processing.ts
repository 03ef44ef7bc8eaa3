import { Migration } from '@mikro-orm/migrations';

export class Migration20261122020000_processing extends Migration {
  override name = 'Migration20261122020000_processing';

  override up(): void {
    // Projection order: every signal row records the transaction that wrote it (xid8) and a
    // sequence number. Sequences and UUIDv7 ids commit out of order, so a checkpoint on
    // either alone can skip a row that commits late. The projection instead reads only rows
    // whose writer finished (xid below the oldest running transaction, pg_snapshot_xmin)
    // and checkpoints on (xid, seq): no later row can sort before a consumed one.
    // The ingestion INSERT names its columns, so these defaults fill both.
    this.addSql(`create sequence behavior_signals_seq as bigint;`);
    this.addSql(
      `alter table behavior_signals add column seq bigint not null default nextval('behavior_signals_seq');`,
    );
    this.addSql(`alter table behavior_signals add column xid xid8 not null default pg_current_xact_id();`);
    this.addSql(`create index behavior_signals_projection_idx on behavior_signals (xid, seq);`);
    this.addSql(`
      create table behavior_projection_checkpoints (
        name text primary key,
        last_xid xid8 not null default '0',
        last_seq bigint not null default 0,
        signals_projected bigint not null default 0,
        updated_at timestamptz not null default now()
      );
    `);
    this.addSql(`insert into behavior_projection_checkpoints (name) values ('metrics');`);
    // Per user and UTC day. value_sum / value_count are the exact state behind avg
    // (numeric, so sums do not depend on batch boundaries); distinct keeps its members in
    // behavior_signal_metric_values so a re-seen value never counts twice.
    this.addSql(`
      create table behavior_signal_metrics (
        tenant_id text not null,
        user_id text not null,
        metric_date date not null,
        metric_key text not null,
        metric_value numeric not null,
        metric_type text not null,
        attributes jsonb not null default '{}',
        value_sum numeric not null default 0,
        value_count bigint not null default 0,
        projector text not null,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, user_id, metric_date, metric_key)
      );
    `);
    this.addSql(
      `create index behavior_signal_metrics_updated_idx on behavior_signal_metrics (updated_at, tenant_id, user_id);`,
    );
    this.addSql(`
      create table behavior_signal_metric_values (
        tenant_id text not null,
        user_id text not null,
        metric_date date not null,
        metric_key text not null,
        value text not null,
        primary key (tenant_id, user_id, metric_date, metric_key, value)
      );
    `);
    this.addSql(`
      create table behavior_insights (
        tenant_id text not null,
        user_id text not null,
        insight_type text not null,
        scores jsonb not null,
        labels jsonb not null,
        segment text,
        evidence jsonb not null,
        analyzed_at timestamptz not null,
        valid_until timestamptz not null,
        analysis_version text not null,
        primary key (tenant_id, user_id, insight_type)
      );
    `);
    this.addSql(`create index behavior_insights_segment_idx on behavior_insights (tenant_id, segment);`);
    // Where "since its last run" starts for incremental jobs (pattern detection).
    this.addSql(`
      create table behavior_job_cursors (
        name text primary key,
        cursor_at timestamptz not null
      );
    `);
  }

  override down(): void {
    this.addSql('drop table if exists behavior_job_cursors;');
    this.addSql('drop table if exists behavior_insights;');
    this.addSql('drop table if exists behavior_signal_metric_values;');
    this.addSql('drop table if exists behavior_signal_metrics;');
    this.addSql('drop table if exists behavior_projection_checkpoints;');
    this.addSql('drop index if exists behavior_signals_projection_idx;');
    this.addSql('alter table behavior_signals drop column if exists xid;');
    this.addSql('alter table behavior_signals drop column if exists seq;');
    this.addSql('drop sequence if exists behavior_signals_seq;');
  }
}
