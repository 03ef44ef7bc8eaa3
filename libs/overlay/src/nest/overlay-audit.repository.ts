import { Injectable } from '@nestjs/common';
import type { OverlayScope } from '../spec/overlay.types.js';
import { OverlayDatabase, toDate } from './overlay-database.js';

export interface OverlayAuditEntry {
  readonly id: string;
  readonly overlayId: string;
  readonly version: number;
  readonly keyId: string | null;
  readonly capability: string;
  readonly context: OverlayScope;
  readonly appliedAt: Date;
}

export interface OverlayAuditFilter {
  readonly overlayId?: string;
  readonly capability?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  /** Opaque keyset cursor from a previous page. */
  readonly cursor?: { appliedAt: string; id: string };
}

/** Newest first, keyset-paged on (applied_at, id) so deep pages stay one index range scan. */
@Injectable()
export class OverlayAuditRepository {
  constructor(private readonly db: OverlayDatabase) {}

  async page(tenantId: string, filter: OverlayAuditFilter): Promise<OverlayAuditEntry[]> {
    const where = ['tenant_id = ?'];
    const params: unknown[] = [tenantId];
    if (filter.overlayId !== undefined) {
      where.push('overlay_id = ?');
      params.push(filter.overlayId);
    }
    if (filter.capability !== undefined) {
      where.push('capability = ?');
      params.push(filter.capability);
    }
    if (filter.from) {
      where.push('applied_at >= ?::timestamptz');
      params.push(filter.from.toISOString());
    }
    if (filter.to) {
      where.push('applied_at < ?::timestamptz');
      params.push(filter.to.toISOString());
    }
    if (filter.cursor) {
      where.push('(applied_at, id) < (?::timestamptz, ?::bigint)');
      params.push(filter.cursor.appliedAt, filter.cursor.id);
    }
    const rows = await this.db.query<{
      id: string;
      overlay_id: string;
      version: number;
      key_id: string | null;
      capability: string;
      context: OverlayScope;
      applied_at: Date;
    }>(
      `select id::text as id, overlay_id, version, key_id, capability, context, applied_at from overlay_audit
       where ${where.join(' and ')} order by applied_at desc, id desc limit ?`,
      [...params, filter.limit],
    );
    return rows.map((r) => ({
      id: r.id,
      overlayId: r.overlay_id,
      version: r.version,
      keyId: r.key_id,
      capability: r.capability,
      context: r.context,
      appliedAt: toDate(r.applied_at),
    }));
  }
}
