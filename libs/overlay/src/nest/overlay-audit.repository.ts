import { Inject, Injectable } from '@nestjs/common';
import { DatabasePool } from '@lssm/nest-common';
import type { OverlayScope } from '../spec/overlay.types.js';

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

interface AuditRow {
  id: string;
  overlay_id: string;
  version: number;
  key_id: string | null;
  capability: string;
  context: OverlayScope;
  applied_at: Date;
}

/**
 * Newest first, keyset-paged on (applied_at, id) so deep pages stay one index range scan. The
 * audit log is an append-heavy table written in batches, read here with plain SQL on the read lane.
 */
@Injectable()
export class OverlayAuditRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  /**
   * Retention (the behavior service's `retention.overlayAuditDays`): deletes rows applied before
   * `before`, of one tenant or of all, in short chunks on the background lane so the batched audit
   * writer never waits long on a lock. Returns how many rows went.
   */
  async deleteAppliedBefore(before: Date, tenantId: string | null, chunk = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.db.background.query(
        `delete from overlay_audit where id in (
           select id from overlay_audit
            where applied_at < $1 and ($2::text is null or tenant_id = $2) limit $3)`,
        [before, tenantId, chunk],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < chunk) return total;
    }
  }

  async page(tenantId: string, filter: OverlayAuditFilter): Promise<OverlayAuditEntry[]> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const next = (value: unknown) => `$${params.push(value)}`;
    if (filter.overlayId !== undefined) {
      where.push(`overlay_id = ${next(filter.overlayId)}`);
    }
    if (filter.capability !== undefined) {
      where.push(`capability = ${next(filter.capability)}`);
    }
    if (filter.from) {
      where.push(`applied_at >= ${next(filter.from)}`);
    }
    if (filter.to) {
      where.push(`applied_at < ${next(filter.to)}`);
    }
    if (filter.cursor) {
      where.push(
        `(applied_at, id) < (${next(filter.cursor.appliedAt)}::timestamptz, ${next(filter.cursor.id)}::bigint)`,
      );
    }
    const { rows } = await this.db.read.query<AuditRow>(
      `select id::text as id, overlay_id, version, key_id, capability, context, applied_at from overlay_audit
       where ${where.join(' and ')} order by applied_at desc, id desc limit ${next(filter.limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      overlayId: r.overlay_id,
      version: r.version,
      keyId: r.key_id,
      capability: r.capability,
      context: r.context,
      appliedAt: r.applied_at,
    }));
  }
}
