import { DatabasePool, SqlParams, type Queryable } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import type { StreamedSignal } from '../contracts/behavior-signal-consumer.js';
import { TimeKeyset } from '../queries/time-keyset.js';
import {
  STREAMED_SIGNAL_COLUMNS,
  toStreamedSignal,
  type PositionedSignalRow,
} from './streamed-signal.row.js';

/** A signal one consumer set aside, as the admin API lists it. */
export interface ParkedSignalRecord {
  readonly signalId: string;
  readonly partition: number;
  readonly error: string;
  readonly parkedAt: string;
  readonly replayedAt: string | null;
}

export const MAX_PARKED_PAGE = 100;
/** Stored error text at most (a stack or a huge message must not grow the table). */
const MAX_ERROR_CHARS = 2000;
const OLDEST_FIRST = new TimeKeyset('parked_at', 'asc', 'signal_id');

interface ParkedRow {
  id: string;
  stream_partition: number;
  error: string;
  parked_at: Date;
  replayed_at: Date | null;
  page_key: string;
}

/** behavior_parked_signals: what a consumer could not take, until it is replayed. */
@Injectable()
export class ParkedSignalRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  /** Inside the batch transaction that moves the checkpoint past the signal. */
  async park(client: pg.PoolClient, consumer: string, signal: StreamedSignal, error: string): Promise<void> {
    await client.query(
      `insert into behavior_parked_signals (consumer, signal_id, occurred_at, stream_partition, error)
       values ($1, $2, $3, $4, $5)
       on conflict (consumer, signal_id) do update
         set error = excluded.error, parked_at = now(), replayed_at = null`,
      [
        consumer,
        signal.signal.id,
        signal.signal.timestamp,
        signal.partition,
        error.slice(0, MAX_ERROR_CHARS),
      ],
    );
  }

  async list(
    consumer: string,
    page: { limit: number; cursor?: string; pending?: boolean },
  ): Promise<{ items: ParkedSignalRecord[]; nextCursor: string | null }> {
    const params = new SqlParams();
    const where = [`consumer = ${params.add(consumer)}`];
    if (page.pending !== undefined) where.push(`replayed_at is ${page.pending ? '' : 'not '}null`);
    if (page.cursor !== undefined) where.push(OLDEST_FIRST.after(page.cursor, params));
    const limit = Math.min(page.limit, MAX_PARKED_PAGE);
    const { rows } = await this.db.read.query<ParkedRow>(
      `select signal_id as id, stream_partition, error, parked_at, replayed_at, ${OLDEST_FIRST.keyColumn}
         from behavior_parked_signals where ${where.join(' and ')}
        order by ${OLDEST_FIRST.orderBy} limit ${params.add(limit + 1)}`,
      params.values,
    );
    const cut = OLDEST_FIRST.page(rows, limit);
    return {
      items: cut.rows.map((r) => ({
        signalId: r.id,
        partition: r.stream_partition,
        error: r.error,
        parkedAt: r.parked_at.toISOString(),
        replayedAt: r.replayed_at?.toISOString() ?? null,
      })),
      nextCursor: cut.nextCursor,
    };
  }

  /** The oldest parked signals not replayed yet, whole, for a replay. */
  async pending(consumer: string, limit: number): Promise<StreamedSignal[]> {
    const { rows } = await this.db.background.query<PositionedSignalRow>(
      `select ${STREAMED_SIGNAL_COLUMNS}
         from behavior_signals s
         join (select signal_id, occurred_at as parked_occurred_at, parked_at from behavior_parked_signals
                where consumer = $1 and replayed_at is null order by parked_at, signal_id limit $2) p
           on s.id = p.signal_id and s.occurred_at = p.parked_occurred_at
        order by p.parked_at, p.signal_id`,
      [consumer, limit],
    );
    return rows.map(toStreamedSignal);
  }

  async markReplayed(db: Pick<Queryable, 'query'>, consumer: string, signalId: string): Promise<void> {
    await db.query(
      'update behavior_parked_signals set replayed_at = now() where consumer = $1 and signal_id = $2',
      [consumer, signalId],
    );
  }

  async markFailed(consumer: string, signalId: string, error: string): Promise<void> {
    await this.db.background.query(
      'update behavior_parked_signals set error = $3 where consumer = $1 and signal_id = $2',
      [consumer, signalId, error.slice(0, MAX_ERROR_CHARS)],
    );
  }
}
