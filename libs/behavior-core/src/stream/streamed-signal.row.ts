import type { StreamedSignal } from '../contracts/behavior-signal-consumer.js';
import { keysetTimeSql } from '../queries/keyset-cursor.codec.js';
import { SIGNAL_COLUMNS, toBehaviorSignal, type SignalRow } from '../storage/signal-row.js';

// The position columns get their own names: an output column called `xid` (text) would
// silently win over the table column in ORDER BY xid and sort '1132' before '150'.
export const STREAMED_SIGNAL_COLUMNS = `${SIGNAL_COLUMNS}, stream_partition, xid::text as position_xid,
       seq::text as position_seq, ${keysetTimeSql('occurred_at')} as occurred_key`;

/** A row read with STREAMED_SIGNAL_COLUMNS. */
export type PositionedSignalRow = SignalRow & {
  stream_partition: number;
  position_xid: string;
  position_seq: string;
  occurred_key: string;
};

export function toStreamedSignal(row: PositionedSignalRow): StreamedSignal {
  return {
    signal: toBehaviorSignal(row),
    partition: row.stream_partition,
    xid: row.position_xid,
    seq: row.position_seq,
    ingestedAtMs: row.ingested_at.getTime(),
    occurredKey: row.occurred_key,
  };
}
