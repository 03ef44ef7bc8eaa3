import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import { SIGNAL_COLUMNS, toBehaviorSignal, type SignalRow } from '../storage/signal-row.js';

/** A signal row as the projection reads it, with its position in projection order. */
export interface ProjectedSignalRow {
  readonly signal: BehaviorSignal;
  readonly xid: string;
  readonly seq: string;
  readonly ingestedAtMs: number;
}

// The position columns get their own names: an output column called `xid` (text) would
// silently win over the table column in ORDER BY xid and sort '1132' before '150'.
export const PROJECTED_SIGNAL_COLUMNS = `${SIGNAL_COLUMNS}, xid::text as position_xid, seq::text as position_seq`;

/** A row read with PROJECTED_SIGNAL_COLUMNS. */
export type PositionedSignalRow = SignalRow & { position_xid: string; position_seq: string };

export function toProjectedSignal(row: PositionedSignalRow): ProjectedSignalRow {
  return {
    signal: toBehaviorSignal(row),
    xid: row.position_xid,
    seq: row.position_seq,
    ingestedAtMs: row.ingested_at.getTime(),
  };
}
