import { Migration } from '@mikro-orm/migrations';

export class Migration20261203030000_metric_days extends Migration {
  override name = 'Migration20261203030000_metric_days';

  override up(): void {
    // One row per (tenant, user, UTC day) holding all of that day's metrics (shape: StoredMetric
    // in metric-day.merger.ts; numbers as decimal text): a batch writes one row per user-day it
    // touches instead of one per metric, and with no index on what changes the update stays on
    // its page (HOT) when the page has room, hence the fill factor.
    this.addSql(`
      create table behavior_metric_days (
        tenant_id text not null,
        user_id text not null,
        metric_date date not null,
        metrics jsonb not null,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, user_id, metric_date)
      ) with (fillfactor = 70);
    `);
    this.addSql(`
      insert into behavior_metric_days (tenant_id, user_id, metric_date, metrics, updated_at)
      select tenant_id, user_id, metric_date,
             jsonb_object_agg(metric_key,
               jsonb_build_object('t', metric_type, 'p', projector, 'n', value_count::text, 'v', metric_value::text)
               || case when metric_type = 'avg' then jsonb_build_object('s', value_sum::text) else '{}'::jsonb end
               || case when attributes <> '{}'::jsonb then jsonb_build_object('a', attributes) else '{}'::jsonb end),
             max(updated_at)
        from behavior_signal_metrics
       group by tenant_id, user_id, metric_date;
    `);
    this.addSql('drop table behavior_signal_metrics;');
    // The per-metric shape every reader uses (metrics API, insight features, tests).
    this.addSql(`
      create view behavior_signal_metrics as
      select d.tenant_id, d.user_id, d.metric_date, e.key as metric_key,
             (e.value ->> 'v')::numeric as metric_value, e.value ->> 't' as metric_type,
             coalesce(e.value -> 'a', '{}'::jsonb) as attributes,
             coalesce((e.value ->> 's')::numeric, (e.value ->> 'v')::numeric) as value_sum,
             (e.value ->> 'n')::bigint as value_count, e.value ->> 'p' as projector, d.updated_at
        from behavior_metric_days d cross join lateral jsonb_each(d.metrics) as e;
    `);
  }

  override down(): void {
    this.addSql(`
      create table behavior_signal_metrics_rows as select * from behavior_signal_metrics;
    `);
    this.addSql('drop view behavior_signal_metrics;');
    this.addSql('alter table behavior_signal_metrics_rows rename to behavior_signal_metrics;');
    this.addSql(`alter table behavior_signal_metrics alter column attributes set default '{}',
      alter column value_sum set default 0, alter column value_count set default 0,
      alter column updated_at set default now();`);
    this.addSql(
      'alter table behavior_signal_metrics add primary key (tenant_id, user_id, metric_date, metric_key);',
    );
    this.addSql(
      `create index behavior_signal_metrics_updated_idx on behavior_signal_metrics (updated_at, tenant_id, user_id);`,
    );
    this.addSql('drop table behavior_metric_days;');
  }
}
