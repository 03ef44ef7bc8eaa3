import { Migration } from '@mikro-orm/migrations';

export class Migration20261203020000_stream_partitions extends Migration {
  override name = 'Migration20261203020000_stream_partitions';

  override up(): void {
    // The sink writes each signal's partition (hash of tenant and user or session). Rows stored
    // before this land in partition 0, where every consumer's existing checkpoint stays valid;
    // the other partitions hold only newer rows, so their checkpoints start at the beginning.
    this.addSql(`alter table behavior_signals add column stream_partition smallint not null default 0;`);
    // "Next batch of partition p after its checkpoint" is a range scan of this index.
    this.addSql(`create index behavior_signals_stream_idx on behavior_signals (stream_partition, xid, seq);`);
    this.addSql(`drop index if exists behavior_signals_projection_idx;`);
    this.addSql(
      `alter table behavior_stream_checkpoints add column stream_partition smallint not null default 0;`,
    );
    this.addSql(`alter table behavior_stream_checkpoints drop constraint behavior_stream_checkpoints_pkey;`);
    this.addSql(`alter table behavior_stream_checkpoints add primary key (consumer, stream_partition);`);
    // Visible to every process (GET /api/admin/consumers): consecutive failed batches and the last error.
    this.addSql(`
      alter table behavior_stream_checkpoints
        add column failures int not null default 0,
        add column last_error text,
        add column last_error_at timestamptz;
    `);
    // A signal that makes a consumer throw every time is set aside for that consumer (its
    // partition moves on) until an operator replays it; occurred_at finds it in its month.
    this.addSql(`
      create table behavior_parked_signals (
        consumer text not null,
        signal_id uuid not null,
        occurred_at timestamptz not null,
        stream_partition smallint not null,
        error text not null,
        parked_at timestamptz not null default now(),
        replayed_at timestamptz,
        primary key (consumer, signal_id)
      );
    `);
    // One row per partition: which worker process holds its lease, until when. Workers add the
    // partitions configured; a partition once created stays (its rows must still be consumed).
    this.addSql(`
      create table behavior_stream_partitions (
        stream_partition smallint primary key,
        owner text,
        lease_expires_at timestamptz
      );
    `);
    // Live worker processes (renewed with their leases): the fair share is partitions / live workers.
    this.addSql(`
      create table behavior_stream_workers (
        worker_id text primary key,
        started_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
    `);
  }

  override down(): void {
    this.addSql('drop table if exists behavior_parked_signals;');
    this.addSql('drop table if exists behavior_stream_workers;');
    this.addSql('drop table if exists behavior_stream_partitions;');
    this.addSql(`delete from behavior_stream_checkpoints where stream_partition <> 0;`);
    this.addSql(`alter table behavior_stream_checkpoints drop constraint behavior_stream_checkpoints_pkey;`);
    this.addSql(`alter table behavior_stream_checkpoints drop column stream_partition, drop column failures,
                 drop column last_error, drop column last_error_at;`);
    this.addSql(`alter table behavior_stream_checkpoints add primary key (consumer);`);
    this.addSql(`create index behavior_signals_projection_idx on behavior_signals (xid, seq);`);
    this.addSql(`drop index if exists behavior_signals_stream_idx;`);
    this.addSql(`alter table behavior_signals drop column stream_partition;`);
  }
}
