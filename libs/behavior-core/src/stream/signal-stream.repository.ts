import { Injectable } from '@nestjs/common';
import type pg from 'pg';
import { keysetTimeSql } from '../queries/keyset-cursor.codec.js';
import {
  PROJECTED_SIGNAL_COLUMNS,
  toProjectedSignal,
  type PositionedSignalRow,
  type ProjectedSignalRow,
} from './projected-signal.js';

/** A place in the committed order of behavior_signals: (writing transaction, sequence). */
export interface StreamPosition {
  readonly xid: string;
  readonly seq: string;
}

/** A signal's identity and stream position, for consumers that work in SQL on ids. */
export interface SignalRef extends StreamPosition {
  readonly id: string;
  readonly schemaId: string;
  /** occurred_at as keyset text (microseconds, UTC). */
  readonly occurredKey: string;
}

/** The rows of one tenant and day range that a consumer already moved past, for rebuilding. */
export interface ReplayRange {
  readonly tenantId: string;
  readonly from?: string;
  readonly to?: string;
  readonly upTo: StreamPosition;
}

// Rows after a position whose writing transaction has finished: every transaction with an
// id below the snapshot's xmin is over, so no row can still appear before the last one
// returned here. A checkpoint on (xid, seq) therefore never skips a late commit.
const AFTER = `(xid, seq) > ($1::xid8, $2::bigint)
   and xid < pg_snapshot_xmin(pg_current_snapshot())
 order by xid, seq
 limit $3`;

const NEXT_SIGNALS = `select ${PROJECTED_SIGNAL_COLUMNS} from behavior_signals where ${AFTER}`;

const NEXT_REFS = `
select id, schema_id, ${keysetTimeSql('occurred_at')} as occurred_key,
       xid::text as position_xid, seq::text as position_seq
  from behavior_signals where ${AFTER}`;

const REPLAY_CURSOR = 'replay_signals';

/**
 * The signal stream and its consumers' checkpoints: every reader of "what was committed since
 * I last looked" (metric projection, anomaly scans, replays) goes through here. All methods
 * run on the caller's transaction client, so a consumer's writes and its checkpoint move
 * commit together.
 */
@Injectable()
export class SignalStreamRepository {
  /**
   * Locks the consumer's checkpoint row until the transaction ends (queueing behind another
   * holder), creating it at the start of the stream the first time.
   */
  async lockCheckpoint(client: pg.PoolClient, consumer: string): Promise<StreamPosition> {
    return (await this.lock(client, consumer, false))!;
  }

  /** As lockCheckpoint, but undefined at once while another transaction holds it. */
  tryLockCheckpoint(client: pg.PoolClient, consumer: string): Promise<StreamPosition | undefined> {
    return this.lock(client, consumer, true);
  }

  private async lock(
    client: pg.PoolClient,
    consumer: string,
    skipLocked: boolean,
  ): Promise<StreamPosition | undefined> {
    const found = await client.query<StreamPosition>(
      `select last_xid::text as xid, last_seq::text as seq from behavior_stream_checkpoints
        where consumer = $1 for update${skipLocked ? ' skip locked' : ''}`,
      [consumer],
    );
    if (found.rows[0]) return found.rows[0];
    const created = await client.query(
      `insert into behavior_stream_checkpoints (consumer) values ($1) on conflict (consumer) do nothing
       returning last_xid::text as xid, last_seq::text as seq`,
      [consumer],
    );
    if (created.rows[0]) return created.rows[0];
    // Locked (skip-locked found nothing) or created by a concurrent transaction just now.
    return skipLocked ? undefined : this.lock(client, consumer, false);
  }

  async advanceCheckpoint(
    client: pg.PoolClient,
    consumer: string,
    to: StreamPosition,
    signals: number,
  ): Promise<void> {
    await client.query(
      `update behavior_stream_checkpoints
          set last_xid = $2::xid8, last_seq = $3, signals = signals + $4, updated_at = now()
        where consumer = $1`,
      [consumer, to.xid, to.seq, signals],
    );
  }

  /** The next committed signals after `after`, whole (for projectors). */
  async nextSignals(
    client: pg.PoolClient,
    after: StreamPosition,
    limit: number,
  ): Promise<ProjectedSignalRow[]> {
    const { rows } = await client.query<PositionedSignalRow>(NEXT_SIGNALS, [after.xid, after.seq, limit]);
    return rows.map(toProjectedSignal);
  }

  /** The next committed signals after `after`, as references (for set-based consumers). */
  async nextRefs(client: pg.PoolClient, after: StreamPosition, limit: number): Promise<SignalRef[]> {
    const { rows } = await client.query<{
      id: string;
      schema_id: string;
      occurred_key: string;
      position_xid: string;
      position_seq: string;
    }>(NEXT_REFS, [after.xid, after.seq, limit]);
    return rows.map((r) => ({
      id: r.id,
      schemaId: r.schema_id,
      occurredKey: r.occurred_key,
      xid: r.position_xid,
      seq: r.position_seq,
    }));
  }

  /**
   * Walks a tenant's signals up to a position in `fetchSize` chunks with a server-side cursor,
   * so a rebuild of any size holds one chunk in memory.
   */
  async *replay(
    client: pg.PoolClient,
    range: ReplayRange,
    fetchSize: number,
  ): AsyncGenerator<ProjectedSignalRow[]> {
    await client.query(
      `declare ${REPLAY_CURSOR} no scroll cursor for
       select ${PROJECTED_SIGNAL_COLUMNS} from behavior_signals
        where tenant_id = $1
          and ($2::date is null or occurred_at >= ($2::date)::timestamp at time zone 'UTC')
          and ($3::date is null or occurred_at < ($3::date + 1)::timestamp at time zone 'UTC')
          and (xid, seq) <= ($4::xid8, $5::bigint)`,
      [range.tenantId, range.from ?? null, range.to ?? null, range.upTo.xid, range.upTo.seq],
    );
    // Closed when read to the end; otherwise the transaction's end closes it (a failed
    // transaction would refuse the close and hide the original error).
    for (;;) {
      const { rows } = await client.query<PositionedSignalRow>(
        `fetch ${Math.trunc(fetchSize)} from ${REPLAY_CURSOR}`,
      );
      if (rows.length === 0) break;
      yield rows.map(toProjectedSignal);
    }
    await client.query(`close ${REPLAY_CURSOR}`);
  }
}
