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
  readonly parked: number;
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
      parked: r.parked,
    }));
  }

  /** A failed batch, visible to every process (the checkpoint row keeps the count until a success). */
  async recordFailure(consumer: string, partition: number, error: string): Promise<void> {
    await this.db.background.query(
      `insert into behavior_stream_checkpoints (consumer, stream_partition, failures, last_error, last_error_at)
       values ($1, $2, 1, $3, now())
       on conflict (consumer, stream_partition) do update
         set failures = behavior_stream_checkpoints.failures + 1, last_error = excluded.last_error,
             last_error_at = excluded.last_error_at`,
      [consumer, partition, error.slice(0, MAX_ERROR_CHARS)],
    );
  }
}
