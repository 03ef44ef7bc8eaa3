import { Inject, Injectable } from '@nestjs/common';
import { DatabasePool, json } from '@lssm/nest-common';
import type { OverlayAuditRecord, OverlayAuditSink } from '../contracts/overlay-audit-sink.js';

/**
 * One multi-row INSERT per batch on the background lane; wrapped in BatchingAuditSink so apply()
 * never waits for it.
 */
@Injectable()
export class PostgresOverlayAuditSink implements OverlayAuditSink {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  async write(records: readonly OverlayAuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    const next = (value: unknown) => `$${params.push(value)}`;
    for (const r of records) {
      values.push(
        `(${next(r.tenantId)}, ${next(r.overlayId)}, ${next(r.version)}, ${next(r.keyId ?? null)}, ` +
          `${next(r.capability)}, ${next(json(r.context))}::jsonb, ${next(r.appliedAt)})`,
      );
    }
    await this.db.background.query(
      `insert into overlay_audit (tenant_id, overlay_id, version, key_id, capability, context, applied_at)
       values ${values.join(', ')}`,
      params,
    );
  }
}
