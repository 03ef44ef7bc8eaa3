import { Injectable } from '@nestjs/common';
import type { OverlaySignature } from '../signing/overlay-signature.types.js';
import type { OverlayScope, OverlaySpec } from '../spec/overlay.types.js';
import { json, OverlayDatabase, toDate } from './overlay-database.js';

export type OverlayStatus = 'draft' | 'signed' | 'archived';

export interface OverlayRecord {
  readonly tenantId: string;
  readonly overlayId: string;
  readonly version: number;
  readonly capability: string;
  readonly scope: OverlayScope;
  readonly status: OverlayStatus;
  readonly spec: OverlaySpec;
  readonly signature: OverlaySignature | null;
  readonly keyId: string | null;
  readonly signedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface OverlayRow {
  tenant_id: string;
  overlay_id: string;
  version: number;
  capability: string;
  scope: OverlayScope;
  status: OverlayStatus;
  spec: OverlaySpec;
  signature: OverlaySignature | null;
  key_id: string | null;
  signed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'tenant_id, overlay_id, version, capability, scope, status, spec, signature, key_id, signed_at, created_at, updated_at';

const toRecord = (r: OverlayRow): OverlayRecord => ({
  tenantId: r.tenant_id,
  overlayId: r.overlay_id,
  version: r.version,
  capability: r.capability,
  scope: r.scope,
  status: r.status,
  spec: r.spec,
  signature: r.signature,
  keyId: r.key_id,
  signedAt: toDate(r.signed_at),
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

export interface OverlayListFilter {
  readonly overlayId?: string;
  readonly capability?: string;
  readonly status?: OverlayStatus;
  readonly limit: number;
  readonly offset: number;
}

/** Every statement takes the tenant as its first condition: there is no cross-tenant query. */
@Injectable()
export class OverlayRepository {
  constructor(private readonly db: OverlayDatabase) {}

  async find(tenantId: string, overlayId: string, version?: number): Promise<OverlayRecord | undefined> {
    const rows =
      version === undefined
        ? await this.db.query<OverlayRow>(
            `select ${COLUMNS} from overlays where tenant_id = ? and overlay_id = ? order by version desc limit 1`,
            [tenantId, overlayId],
          )
        : await this.db.query<OverlayRow>(
            `select ${COLUMNS} from overlays where tenant_id = ? and overlay_id = ? and version = ?`,
            [tenantId, overlayId, version],
          );
    return rows[0] && toRecord(rows[0]);
  }

  async list(
    tenantId: string,
    filter: OverlayListFilter,
  ): Promise<{ items: OverlayRecord[]; total: number }> {
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
    if (filter.status !== undefined) {
      where.push('status = ?');
      params.push(filter.status);
    }
    const rows = await this.db.query<OverlayRow & { total: string }>(
      `select ${COLUMNS}, count(*) over () as total from overlays where ${where.join(' and ')}
       order by overlay_id, version desc limit ? offset ?`,
      [...params, filter.limit, filter.offset],
    );
    let total = rows[0] ? Number(rows[0].total) : 0;
    if (rows.length === 0 && filter.offset > 0) {
      const count = await this.db.query<{ n: string }>(
        `select count(*) as n from overlays where ${where.join(' and ')}`,
        params,
      );
      total = Number(count[0]?.n ?? 0);
    }
    return { items: rows.map(toRecord), total };
  }

  /** Fails with a unique violation when the version exists or the overlay already has a draft. */
  async insertDraft(spec: OverlaySpec): Promise<OverlayRecord> {
    const rows = await this.db.query<OverlayRow>(
      `insert into overlays (tenant_id, overlay_id, version, capability, scope, role, user_id, device, spec, status)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, 'draft') returning ${COLUMNS}`,
      [
        spec.tenantId,
        spec.overlayId,
        spec.version,
        spec.capability,
        json(spec.scope),
        spec.scope.role ?? null,
        spec.scope.userId ?? null,
        spec.scope.device ?? null,
        json(spec),
      ],
    );
    return toRecord(rows[0]!);
  }

  /** Only a draft changes; undefined when the version is not (or no longer) a draft. */
  async updateDraft(spec: OverlaySpec): Promise<OverlayRecord | undefined> {
    const rows = await this.db.query<OverlayRow>(
      `update overlays set capability = ?, scope = ?::jsonb, role = ?, user_id = ?, device = ?, spec = ?::jsonb,
         updated_at = now()
       where tenant_id = ? and overlay_id = ? and version = ? and status = 'draft' returning ${COLUMNS}`,
      [
        spec.capability,
        json(spec.scope),
        spec.scope.role ?? null,
        spec.scope.userId ?? null,
        spec.scope.device ?? null,
        json(spec),
        spec.tenantId,
        spec.overlayId,
        spec.version,
      ],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** Draft → signed, guarded by status so two concurrent signs cannot both win. */
  async markSigned(
    tenantId: string,
    overlayId: string,
    version: number,
    signature: OverlaySignature,
  ): Promise<OverlayRecord | undefined> {
    const rows = await this.db.query<OverlayRow>(
      `update overlays set status = 'signed', signature = ?::jsonb, key_id = ?, signed_at = now(), updated_at = now()
       where tenant_id = ? and overlay_id = ? and version = ? and status = 'draft' returning ${COLUMNS}`,
      [json(signature), signature.keyId, tenantId, overlayId, version],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** Stores an overlay signed elsewhere (already verified by the caller). */
  async insertSigned(spec: OverlaySpec, signature: OverlaySignature): Promise<OverlayRecord> {
    const rows = await this.db.query<OverlayRow>(
      `insert into overlays (tenant_id, overlay_id, version, capability, scope, role, user_id, device, spec,
         signature, key_id, status, signed_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?, 'signed', now()) returning ${COLUMNS}`,
      [
        spec.tenantId,
        spec.overlayId,
        spec.version,
        spec.capability,
        json(spec.scope),
        spec.scope.role ?? null,
        spec.scope.userId ?? null,
        spec.scope.device ?? null,
        json(spec),
        json(signature),
        signature.keyId,
      ],
    );
    return toRecord(rows[0]!);
  }

  /** Archives every version; the overlay stops applying. Returns the number of rows changed. */
  async archive(tenantId: string, overlayId: string): Promise<number> {
    const rows = await this.db.query<{ version: number }>(
      `update overlays set status = 'archived', updated_at = now()
       where tenant_id = ? and overlay_id = ? and status <> 'archived' returning version`,
      [tenantId, overlayId],
    );
    return rows.length;
  }

  /** The newest signed version of every overlay of the tenant: what the registry serves. */
  async activeSigned(tenantId: string): Promise<OverlayRecord[]> {
    const rows = await this.db.query<OverlayRow>(
      `select distinct on (overlay_id) ${COLUMNS} from overlays
       where tenant_id = ? and status = 'signed' order by overlay_id, version desc`,
      [tenantId],
    );
    return rows.map(toRecord);
  }

  /** When the service first stored this exact signature, if it did. */
  async signatureFirstSeen(tenantId: string, signatureValue: string): Promise<Date | undefined> {
    const rows = await this.db.query<{ seen: Date }>(
      `select min(signed_at) as seen from overlays where tenant_id = ? and signature ->> 'value' = ?`,
      [tenantId, signatureValue],
    );
    const seen = rows[0]?.seen;
    return seen ? toDate(seen) : undefined;
  }
}
