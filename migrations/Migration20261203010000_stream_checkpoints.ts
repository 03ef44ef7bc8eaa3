import { Migration } from '@mikro-orm/migrations';

export class Migration20261203010000_stream_checkpoints extends Migration {
  override name = 'Migration20261203010000_stream_checkpoints';

  override up(): void {
    // Every reader of the signal stream (metric projection, each anomaly rule, later sinks)
    // keeps its position in one table, named by consumer, so they share one repository.
    this.addSql(`
      create table behavior_stream_checkpoints (
        consumer text primary key,
        last_xid xid8 not null default '0',
        last_seq bigint not null default 0,
        signals bigint not null default 0,
        updated_at timestamptz not null default now()
      );
    `);
    this.addSql(`
      insert into behavior_stream_checkpoints (consumer, last_xid, last_seq, signals, updated_at)
      select name, last_xid, last_seq, signals_projected, updated_at from behavior_projection_checkpoints;
    `);
    this.addSql(`
      insert into behavior_stream_checkpoints (consumer, last_xid, last_seq, signals, updated_at)
      select 'anomaly:' || rule, last_xid, last_seq, signals_scanned, updated_at from behavior_alert_checkpoints;
    `);
    this.addSql('drop table behavior_projection_checkpoints;');
    this.addSql('drop table behavior_alert_checkpoints;');
  }

  override down(): void {
    this.addSql(`
      create table behavior_projection_checkpoints (
        name text primary key,
        last_xid xid8 not null default '0',
        last_seq bigint not null default 0,
        signals_projected bigint not null default 0,
        updated_at timestamptz not null default now()
      );
    `);
    this.addSql(`
      create table behavior_alert_checkpoints (
        rule text primary key,
        last_xid xid8 not null default '0',
        last_seq bigint not null default 0,
        signals_scanned bigint not null default 0,
        updated_at timestamptz not null default now()
      );
    `);
    this.addSql(`
      insert into behavior_projection_checkpoints (name, last_xid, last_seq, signals_projected, updated_at)
      select consumer, last_xid, last_seq, signals, updated_at from behavior_stream_checkpoints
       where consumer not like 'anomaly:%';
    `);
    this.addSql(`
      insert into behavior_alert_checkpoints (rule, last_xid, last_seq, signals_scanned, updated_at)
      select substr(consumer, 9), last_xid, last_seq, signals, updated_at from behavior_stream_checkpoints
       where consumer like 'anomaly:%';
    `);
    this.addSql(
      `insert into behavior_projection_checkpoints (name) values ('metrics') on conflict do nothing;`,
    );
    this.addSql('drop table behavior_stream_checkpoints;');
  }
}
