import type { BehaviorSignal } from '../contracts/behavior-signal.js';

/** A signal row as the projection reads it, with its position in projection order. */
export interface ProjectedSignalRow {
  readonly signal: BehaviorSignal;
  readonly xid: string;
  readonly seq: string;
  readonly ingestedAtMs: number;
}

export const SIGNAL_COLUMNS = `id, tenant_id, user_id, session_id, schema_id, schema_version, signal_key, source,
  occurred_at, ingested_at, attributes, xid::text as xid, seq::text as seq`;

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
    xid: row.xid,
    seq: row.seq,
    ingestedAtMs: (row.ingested_at as Date).getTime(),
  };
}
