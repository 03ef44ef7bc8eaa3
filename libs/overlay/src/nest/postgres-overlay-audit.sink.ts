import type { OverlayAuditRecord, OverlayAuditSink } from '../contracts/overlay-audit-sink.js';
import { json, type OverlayDatabase } from './overlay-database.js';

/** One multi-row INSERT per batch; wrapped in BatchingAuditSink so apply() never waits for it. */
export class PostgresOverlayAuditSink implements OverlayAuditSink {
  constructor(private readonly db: OverlayDatabase) {}

  async write(records: readonly OverlayAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    for (const r of records) {
      values.push('(?, ?, ?, ?, ?, ?::jsonb, ?::timestamptz)');
      params.push(
        r.tenantId,
        r.overlayId,
        r.version,
        r.keyId ?? null,
        r.capability,
        json(r.context),
        r.appliedAt.toISOString(),
      );
    }
    await this.db.query(
      `insert into overlay_audit (tenant_id, overlay_id, version, key_id, capability, context, applied_at)
       values ${values.join(', ')}`,
      params,
    );
  }
}
