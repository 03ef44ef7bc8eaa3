import { DatabasePool } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';

/** Stream partitions' leases and the live worker processes that hold them. */
@Injectable()
export class PartitionLeaseRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  /** Adds partitions 0..count-1 where missing; existing ones (even beyond count) stay. */
  async ensurePartitions(count: number): Promise<void> {
    await this.db.background.query(
      `insert into behavior_stream_partitions (stream_partition)
       select generate_series(0, $1::int - 1) on conflict do nothing`,
      [count],
    );
  }

  /** Marks the worker alive until now + ttl and returns every live worker id, sorted. */
  async heartbeat(workerId: string, ttlMs: number): Promise<string[]> {
    await this.db.background.query(
      `insert into behavior_stream_workers (worker_id, expires_at)
       values ($1, now() + $2 * interval '1 millisecond')
       on conflict (worker_id) do update set expires_at = excluded.expires_at`,
      [workerId, ttlMs],
    );
    const { rows } = await this.db.background.query<{ worker_id: string }>(
      'select worker_id from behavior_stream_workers where expires_at > now() order by worker_id',
    );
    return rows.map((r) => r.worker_id);
  }

  async partitionCount(): Promise<number> {
    const { rows } = await this.db.background.query<{ n: number }>(
      'select count(*)::int as n from behavior_stream_partitions',
    );
    return rows[0].n;
  }

  /** Extends the worker's leases; returns the partitions it still holds. */
  async renew(workerId: string, ttlMs: number): Promise<number[]> {
    const { rows } = await this.db.background.query<{ p: number }>(
      `update behavior_stream_partitions set lease_expires_at = now() + $2 * interval '1 millisecond'
        where owner = $1 and lease_expires_at > now()
        returning stream_partition as p`,
      [workerId, ttlMs],
    );
    return rows.map((r) => r.p).sort((a, b) => a - b);
  }

  /** Takes up to `max` partitions nobody holds (never leased, released, or expired). */
  async acquire(workerId: string, ttlMs: number, max: number): Promise<number[]> {
    if (max <= 0) return [];
    const { rows } = await this.db.background.query<{ p: number }>(
      `update behavior_stream_partitions p
          set owner = $1, lease_expires_at = now() + $2 * interval '1 millisecond'
        where p.stream_partition in (
              select stream_partition from behavior_stream_partitions
               where owner is null or lease_expires_at <= now()
               order by stream_partition limit $3 for update skip locked)
        returning p.stream_partition as p`,
      [workerId, ttlMs, max],
    );
    return rows.map((r) => r.p);
  }

  async release(workerId: string, partitions: readonly number[]): Promise<void> {
    if (partitions.length === 0) return;
    await this.db.background.query(
      `update behavior_stream_partitions set owner = null, lease_expires_at = null
        where owner = $1 and stream_partition = any($2::smallint[])`,
      [workerId, partitions],
    );
  }

  /** A clean stop: the worker's partitions are free at once instead of after the lease time. */
  async leave(workerId: string): Promise<void> {
    await this.db.background.query(
      `update behavior_stream_partitions set owner = null, lease_expires_at = null where owner = $1`,
      [workerId],
    );
    await this.db.background.query(
      `delete from behavior_stream_workers where worker_id = $1 or expires_at < now() - interval '1 hour'`,
      [workerId],
    );
  }
}
