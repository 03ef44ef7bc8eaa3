import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';

/** Lag counts stop here: enough to tell "a little" from "a lot" at a bounded cost. */
export const LAG_COUNT_CAP = 10_000;
const MAX_ERROR_CHARS = 2000;

/** One consumer on one partition, as operators see it. */
export interface ConsumerPartitionStatus {
  readonly consumer: string;
  readonly partition: number;
  /** The worker process holding the partition's lease (null: none live). */
  readonly owner: string | null;
  readonly signalsConsumed: number;
  /** Committed signals after the checkpoint, counted up to LAG_COUNT_CAP. */
  readonly lagSignals: number;
  /** Age of the oldest signal not consumed yet (0 when caught up). */
  readonly lagSeconds: number;
  readonly failures: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** When the current run of failures began (null while the last batch succeeded). */
  readonly failingSince: string | null;
  readonly parked: number;
}

/** A consumer failing on some partitions: since when (the earliest), and its latest error. */
export interface FailingConsumer {
  readonly consumer: string;
  readonly failingSince: string;
  /** How long it has been failing, by the database's clock. */
  readonly failingForMs: number;
  readonly partitions: number;
  readonly lastError: string | null;
}

interface StatusRow {
  consumer: string;
  stream_partition: number;
  owner: string | null;
  signals: string | null;
  lag_signals: number;
  lag_seconds: number | null;
  failures: number | null;
  last_error: string | null;
  last_error_at: Date | null;
  failing_since: Date | null;
  parked: number;
}

/** Where every consumer stands on every partition, and their failures. */
@Injectable()
export class StreamStatusRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  async status(consumers: readonly string[]): Promise<ConsumerPartitionStatus[]> {
    if (consumers.length === 0) return [];
    // Per (consumer, partition): two short index range scans on (stream_partition, xid, seq). On the
    // read lane: an admin request or a scrape, under the read statement_timeout.
    const { rows } = await this.db.read.query<StatusRow>(
      `select k.consumer, p.stream_partition,
              case when p.lease_expires_at > now() then p.owner end as owner,
              c.signals::text, c.failures, c.last_error, c.last_error_at,
              case when c.failures > 0 then c.updated_at end as failing_since,
              (select count(*)::int from (
                 select 1 from behavior_signals s
                  where s.stream_partition = p.stream_partition
                    and (s.xid, s.seq) > (coalesce(c.last_xid, '0'::xid8), coalesce(c.last_seq, 0))
                  limit ${LAG_COUNT_CAP}) n) as lag_signals,
              (select extract(epoch from now() - s.ingested_at)::float8 from behavior_signals s
                where s.stream_partition = p.stream_partition
                  and (s.xid, s.seq) > (coalesce(c.last_xid, '0'::xid8), coalesce(c.last_seq, 0))
                order by s.xid, s.seq limit 1) as lag_seconds,
              (select count(*)::int from behavior_parked_signals b
                where b.consumer = k.consumer and b.stream_partition = p.stream_partition
                  and b.replayed_at is null) as parked
         from unnest($1::text[]) as k(consumer)
        cross join behavior_stream_partitions p
         left join behavior_stream_checkpoints c
           on c.consumer = k.consumer and c.stream_partition = p.stream_partition
        order by k.consumer, p.stream_partition`,
      [consumers],
    );
    return rows.map((r) => ({
      consumer: r.consumer,
      partition: r.stream_partition,
      owner: r.owner,
      signalsConsumed: Number(r.signals ?? 0),
      lagSignals: r.lag_signals,
      lagSeconds: Math.max(0, r.lag_seconds ?? 0),
      failures: r.failures ?? 0,
      lastError: r.last_error,
      lastErrorAt: r.last_error_at?.toISOString() ?? null,
      failingSince: r.failing_since?.toISOString() ?? null,
      parked: r.parked,
    }));
  }

  /**
   * The consumers among `consumers` failing on some partition now: one checkpoint-table scan of
   * their rows, no lag counting (health probes call it).
   */
  async failing(consumers: readonly string[]): Promise<FailingConsumer[]> {
    if (consumers.length === 0) return [];
    const { rows } = await this.db.read.query<{
      consumer: string;
      since: Date;
      failing_ms: number;
      partitions: number;
      last_error: string | null;
    }>(
      `select consumer, min(updated_at) as since,
              (extract(epoch from now() - min(updated_at)) * 1000)::float8 as failing_ms,
              count(*)::int as partitions,
              (array_agg(last_error order by last_error_at desc nulls last))[1] as last_error
         from behavior_stream_checkpoints
        where consumer = any($1::text[]) and failures > 0
        group by consumer
        order by consumer`,
      [consumers],
    );
    return rows.map((r) => ({
      consumer: r.consumer,
      failingSince: r.since.toISOString(),
      failingForMs: Math.max(0, r.failing_ms),
      partitions: r.partitions,
      lastError: r.last_error,
    }));
  }

  /**
   * A failed batch, visible to every process (the checkpoint row keeps the count until a success).
   * The first failure of a run stamps `updated_at`, which otherwise records the last checkpoint
   * move, so "failing since" needs no column of its own.
   */
  async recordFailure(consumer: string, partition: number, error: string): Promise<void> {
    await this.db.background.query(
      `insert into behavior_stream_checkpoints (consumer, stream_partition, failures, last_error, last_error_at)
       values ($1, $2, 1, $3, now())
       on conflict (consumer, stream_partition) do update
         set failures = behavior_stream_checkpoints.failures + 1, last_error = excluded.last_error,
             last_error_at = excluded.last_error_at,
             updated_at = case when behavior_stream_checkpoints.failures = 0 then now()
                               else behavior_stream_checkpoints.updated_at end`,
      [consumer, partition, error.slice(0, MAX_ERROR_CHARS)],
    );
  }
}
