import type { BehaviorSignal } from '../contracts/behavior-signal.js';

/** A behavior_signals row as read by SIGNAL_COLUMNS. */
export interface SignalRow {
  id: string;
  tenant_id: string;
  user_id: string | null;
  session_id: string | null;
  schema_id: string;
  schema_version: number;
  signal_key: string | null;
  source: string | null;
  occurred_at: Date;
  ingested_at: Date;
  attributes: Record<string, unknown>;
}

export const SIGNAL_COLUMNS = `id, tenant_id, user_id, session_id, schema_id, schema_version, signal_key, source,
       occurred_at, ingested_at, attributes`;

export function toBehaviorSignal(row: SignalRow): BehaviorSignal {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    sessionId: row.session_id,
    schemaId: row.schema_id,
    schemaVersion: row.schema_version,
    signalKey: row.signal_key,
    source: row.source,
    timestamp: row.occurred_at.toISOString(),
    ingestedAt: row.ingested_at.toISOString(),
    attributes: row.attributes,
  };
}
