import type { Queryable } from '@lssm/nest-common';
import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { StreamedSignal } from '../contracts/behavior-signal-consumer.js';
import {
  STREAMED_SIGNAL_COLUMNS,
  toStreamedSignal,
  type PositionedSignalRow,
} from './streamed-signal.row.js';

/** A place in one partition's committed order: (writing transaction, sequence). */
export interface StreamPosition {
  readonly xid: string;
  readonly seq: string;
}

export const STREAM_START: StreamPosition = { xid: '0', seq: '0' };

/** The rows of one tenant and day range that a consumer already moved past, for rebuilding. */
export interface ReplayRange {
  readonly tenantId: string;
  readonly from?: string;
  readonly to?: string;
  /** Only what this consumer's checkpoints already passed (per partition). */
  readonly consumer: string;
}

// Rows of a partition after a position whose writing transaction has finished: every
// transaction with an id below the snapshot's xmin is over, so no row can still appear before
// the last one returned. A checkpoint on (xid, seq) therefore never skips a late commit.
const NEXT_SIGNALS = `
select ${STREAMED_SIGNAL_COLUMNS}
  from behavior_signals
 where stream_partition = $1
   and (xid, seq) > ($2::xid8, $3::bigint)
   and xid < pg_snapshot_xmin(pg_current_snapshot())
 order by xid, seq
 limit $4`;

const REPLAY_CURSOR = 'replay_signals';

/**
 * The signal stream and its consumers' checkpoints, one per (consumer, partition): every reader
 * of "what was committed since I last looked" goes through here. Checkpoint methods run on the
 * caller's transaction client, so a transactional consumer's writes and its checkpoint move
 * commit together, and the checkpoint row lock keeps two processes off the same batch.
 */
@Injectable()
export class SignalStreamRepository {
  /** The partitions that exist (configured ones are added by the lease manager at start). */
  async partitions(db: Queryable): Promise<number[]> {
    const { rows } = await db.query<{ p: number }>(
      'select stream_partition as p from behavior_stream_partitions order by 1',
    );
    return rows.map((r) => r.p);
  }

  /**
   * Locks the consumer's checkpoint of a partition until the transaction ends (queueing behind
   * another holder), creating it at the start of the partition the first time.
   */
  async lockCheckpoint(client: pg.PoolClient, consumer: string, partition: number): Promise<StreamPosition> {
    return (await this.lock(client, consumer, partition, false))!;
  }

  /** As lockCheckpoint, but undefined at once while another transaction holds it. */
  tryLockCheckpoint(
    client: pg.PoolClient,
    consumer: string,
    partition: number,
  ): Promise<StreamPosition | undefined> {
    return this.lock(client, consumer, partition, true);
  }

  /** The checkpoint without a lock (external consumers read, deliver, then compare-and-advance). */
  async readCheckpoint(db: Queryable, consumer: string, partition: number): Promise<StreamPosition> {
    const { rows } = await db.query<StreamPosition>(
      `select last_xid::text as xid, last_seq::text as seq from behavior_stream_checkpoints
        where consumer = $1 and stream_partition = $2`,
      [consumer, partition],
    );
    return rows[0] ?? STREAM_START;
  }

  async advanceCheckpoint(
    client: pg.PoolClient,
    consumer: string,
    partition: number,
    to: StreamPosition,
    signals: number,
  ): Promise<void> {
    await client.query(
      `update behavior_stream_checkpoints
          set last_xid = $3::xid8, last_seq = $4, signals = signals + $5, failures = 0, updated_at = now()
        where consumer = $1 and stream_partition = $2`,
      [consumer, partition, to.xid, to.seq, signals],
    );
  }

  /**
   * Moves the checkpoint from `from` to `to` only if it still stands at `from` (creating it when
   * `from` is the start): one statement, no lock held while an external receiver works. False
   * when another process moved it meanwhile (the batch was delivered twice, never lost).
   */
  async compareAndAdvance(
    db: Queryable,
    consumer: string,
    partition: number,
    from: StreamPosition,
    to: StreamPosition,
    signals: number,
  ): Promise<boolean> {
    if (from.xid === STREAM_START.xid && from.seq === STREAM_START.seq) {
      const created = await db.query(
        `insert into behavior_stream_checkpoints (consumer, stream_partition, last_xid, last_seq, signals)
         values ($1, $2, $3::xid8, $4, $5)
         on conflict (consumer, stream_partition) do nothing`,
        [consumer, partition, to.xid, to.seq, signals],
      );
      if (created.rowCount === 1) return true;
    }
    const moved = await db.query(
      `update behavior_stream_checkpoints
          set last_xid = $5::xid8, last_seq = $6, signals = signals + $7, failures = 0, updated_at = now()
        where consumer = $1 and stream_partition = $2 and last_xid = $3::xid8 and last_seq = $4`,
      [consumer, partition, from.xid, from.seq, to.xid, to.seq, signals],
    );
    return moved.rowCount === 1;
  }

  /** The next committed signals of a partition after `after`. */
  async nextSignals(
    db: Pick<Queryable, 'query'>,
    partition: number,
    after: StreamPosition,
    limit: number,
  ): Promise<StreamedSignal[]> {
    const { rows } = await db.query<PositionedSignalRow>(NEXT_SIGNALS, [
      partition,
      after.xid,
      after.seq,
      limit,
    ]);
    return rows.map(toStreamedSignal);
  }

  /** Locks every checkpoint of a consumer (a rebuild must not interleave with live batches). */
  async lockAllCheckpoints(client: pg.PoolClient, consumer: string): Promise<void> {
    await client.query(
      'select 1 from behavior_stream_checkpoints where consumer = $1 order by stream_partition for update',
      [consumer],
    );
  }

  /**
   * Walks a tenant's signals that the consumer already passed, in `fetchSize` chunks with a
   * server-side cursor, so a rebuild of any size holds one chunk in memory.
   */
  async *replay(
    client: pg.PoolClient,
    range: ReplayRange,
    fetchSize: number,
  ): AsyncGenerator<StreamedSignal[]> {
    await client.query(
      `declare ${REPLAY_CURSOR} no scroll cursor for
       select ${STREAMED_SIGNAL_COLUMNS} from behavior_signals s
        where tenant_id = $1
          and ($2::date is null or occurred_at >= ($2::date)::timestamp at time zone 'UTC')
          and ($3::date is null or occurred_at < ($3::date + 1)::timestamp at time zone 'UTC')
          and exists (select 1 from behavior_stream_checkpoints c
                       where c.consumer = $4 and c.stream_partition = s.stream_partition
                         and (s.xid, s.seq) <= (c.last_xid, c.last_seq))`,
      [range.tenantId, range.from ?? null, range.to ?? null, range.consumer],
    );
    // Closed when read to the end; otherwise the transaction's end closes it (a failed
    // transaction would refuse the close and hide the original error).
    for (;;) {
      const { rows } = await client.query<PositionedSignalRow>(
        `fetch ${Math.trunc(fetchSize)} from ${REPLAY_CURSOR}`,
      );
      if (rows.length === 0) break;
      yield rows.map(toStreamedSignal);
    }
    await client.query(`close ${REPLAY_CURSOR}`);
  }

  private async lock(
    client: pg.PoolClient,
    consumer: string,
    partition: number,
    skipLocked: boolean,
  ): Promise<StreamPosition | undefined> {
    const found = await client.query<StreamPosition>(
      `select last_xid::text as xid, last_seq::text as seq from behavior_stream_checkpoints
        where consumer = $1 and stream_partition = $2 for update${skipLocked ? ' skip locked' : ''}`,
      [consumer, partition],
    );
    if (found.rows[0]) return found.rows[0];
    const created = await client.query<StreamPosition>(
      `insert into behavior_stream_checkpoints (consumer, stream_partition) values ($1, $2)
       on conflict (consumer, stream_partition) do nothing
       returning last_xid::text as xid, last_seq::text as seq`,
      [consumer, partition],
    );
    if (created.rows[0]) return created.rows[0];
    // Locked (skip-locked found nothing) or created by a concurrent transaction just now.
    return skipLocked ? undefined : this.lock(client, consumer, partition, false);
  }
}
