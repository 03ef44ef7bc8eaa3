import { Inject, Injectable } from '@nestjs/common';
import { DatabasePool } from '@lssm/nest-common';

/** Where the previous page of one user's rows stopped (opaque to callers). */
export type OverlayUserDataAfter = readonly [string, string];

export interface OverlayUserDataPage {
  readonly rows: Record<string, unknown>[];
  /** Pass back to read the next page; null after the last one. */
  readonly after: OverlayUserDataAfter | null;
}

// Microsecond text, so a keyset position never rounds to a millisecond and skips a row.
const AT = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * What the overlay tables hold about one user, read page by page for a user's data export:
 * audit rows whose context names the user and overlays scoped to the user. Keyset pages on the
 * read lane: no connection is held between pages, however slowly the export is consumed.
 */
@Injectable()
export class OverlayUserDataRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  async auditPage(
    tenantId: string,
    userId: string,
    after: OverlayUserDataAfter | null,
    limit: number,
  ): Promise<OverlayUserDataPage> {
    const params: unknown[] = [tenantId, userId, limit];
    const from = after
      ? `and (applied_at, id) > ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::bigint)`
      : '';
    // Matches overlay_audit_tenant_user_idx (tenant_id, context ->> 'userId', applied_at, id).
    const { rows } = await this.db.read.query<Record<string, unknown> & { page_at: string; id: string }>(
      `select id::text as id, overlay_id, version, key_id, capability, context, applied_at, ${AT('applied_at')} as page_at
         from overlay_audit
        where tenant_id = $1 and context ->> 'userId' = $2 ${from}
        order by applied_at, id limit $3`,
      params,
    );
    const last = rows.at(-1);
    return {
      rows: rows.map((r) => ({
        id: r.id,
        overlayId: r.overlay_id,
        version: r.version,
        keyId: r.key_id,
        capability: r.capability,
        context: r.context,
        appliedAt: (r.applied_at as Date).toISOString(),
      })),
      after: rows.length === limit && last ? [last.page_at, last.id] : null,
    };
  }

  async overlayPage(
    tenantId: string,
    userId: string,
    after: OverlayUserDataAfter | null,
    limit: number,
  ): Promise<OverlayUserDataPage> {
    const params: unknown[] = [tenantId, userId, limit];
    const from = after
      ? `and (overlay_id, version) > ($${params.push(after[0])}, $${params.push(after[1])}::int)`
      : '';
    const { rows } = await this.db.read.query<Record<string, any>>(
      `select overlay_id, version, capability, scope, status, spec, key_id, signed_at, created_at, updated_at
         from overlays
        where tenant_id = $1 and user_id = $2 ${from}
        order by overlay_id, version limit $3`,
      params,
    );
    const last = rows.at(-1);
    return {
      rows: rows.map((r) => ({
        overlayId: r.overlay_id,
        version: r.version,
        capability: r.capability,
        scope: r.scope,
        status: r.status,
        spec: r.spec,
        keyId: r.key_id,
        signedAt: r.signed_at ? (r.signed_at as Date).toISOString() : null,
        createdAt: (r.created_at as Date).toISOString(),
        updatedAt: (r.updated_at as Date).toISOString(),
      })),
      after: rows.length === limit && last ? [last.overlay_id as string, String(last.version)] : null,
    };
  }
}
