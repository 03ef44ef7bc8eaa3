import type { BehaviorSignal } from '../contracts/behavior-signal.js';

/** A signal row as the projection reads it, with its position in projection order. */
export interface ProjectedSignalRow {
  readonly signal: BehaviorSignal;
  readonly xid: string;
  readonly seq: string;
  readonly ingestedAtMs: number;
}

// The position columns get their own names: an output column called `xid` (text) would
// silently win over the table column in ORDER BY xid and sort '1132' before '150'.
export const SIGNAL_COLUMNS = `id, tenant_id, user_id, session_id, schema_id, schema_version, signal_key, source,
  occurred_at, ingested_at, attributes, xid::text as position_xid, seq::text as position_seq`;

export function toProjectedSignal(row: Record<string, any>): ProjectedSignalRow {
  return {
    signal: {
      id: row.id,
      tenantId: row.tenant_id,
      userId: row.user_id,
      sessionId: row.session_id,
      schemaId: row.schema_id,
      schemaVersion: row.schema_version,
      signalKey: row.signal_key,
      source: row.source,
      timestamp: (row.occurred_at as Date).toISOString(),
      ingestedAt: (row.ingested_at as Date).toISOString(),
      attributes: row.attributes,
    },
    xid: row.position_xid,
    seq: row.position_seq,
    ingestedAtMs: (row.ingested_at as Date).getTime(),
  };
}
