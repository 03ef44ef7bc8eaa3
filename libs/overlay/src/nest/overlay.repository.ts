import { Injectable } from '@nestjs/common';
import type { EntityData, FilterQuery, InferEntity } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { jsonValue } from '@lssm/nest-common';
import type { OverlaySignature } from '../signing/overlay-signature.types.js';
import type { OverlayScope, OverlaySpec } from '../spec/overlay.types.js';
import { OverlayEntity, type OVERLAY_STATUSES } from './overlay.entity.js';

export type OverlayStatus = (typeof OVERLAY_STATUSES)[number];

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

type OverlayRow = InferEntity<typeof OverlayEntity>;

const toRecord = (r: OverlayRow): OverlayRecord => ({
  tenantId: r.tenantId,
  overlayId: r.overlayId,
  version: r.version,
  capability: r.capability,
  scope: r.scope,
  status: r.status,
  spec: r.spec,
  signature: r.signature ?? null,
  keyId: r.keyId ?? null,
  signedAt: r.signedAt ?? null,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** The scope travels twice: inside the spec, and as columns for filtering. */
const scopeColumns = (spec: OverlaySpec) => ({
  capability: spec.capability,
  scope: jsonValue(spec.scope),
  role: spec.scope.role ?? null,
  userId: spec.scope.userId ?? null,
  device: spec.scope.device ?? null,
  spec: jsonValue(spec),
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
  constructor(private readonly orm: MikroORM) {}

  async find(tenantId: string, overlayId: string, version?: number): Promise<OverlayRecord | undefined> {
    const em = this.orm.em.fork();
    const row =
      version === undefined
        ? await em.findOne(OverlayEntity, { tenantId, overlayId }, { orderBy: { version: 'desc' } })
        : await em.findOne(OverlayEntity, { tenantId, overlayId, version });
    return row ? toRecord(row) : undefined;
  }

  async list(
    tenantId: string,
    filter: OverlayListFilter,
  ): Promise<{ items: OverlayRecord[]; total: number }> {
    const where: FilterQuery<OverlayRow> = { tenantId };
    if (filter.overlayId !== undefined) where.overlayId = filter.overlayId;
    if (filter.capability !== undefined) where.capability = filter.capability;
    if (filter.status !== undefined) where.status = filter.status;
    const [rows, total] = await this.orm.em.fork().findAndCount(OverlayEntity, where, {
      orderBy: { overlayId: 'asc', version: 'desc' },
      limit: filter.limit,
      offset: filter.offset,
    });
    return { items: rows.map(toRecord), total };
  }

  /** Fails with a unique violation when the version exists or the overlay already has a draft. */
  insertDraft(spec: OverlaySpec): Promise<OverlayRecord> {
    return this.insert(spec, null);
  }

  /** Only a draft changes; undefined when the version is not (or no longer) a draft. */
  async updateDraft(spec: OverlaySpec): Promise<OverlayRecord | undefined> {
    return this.updateDraftRow(spec.tenantId, spec.overlayId, spec.version, {
      ...scopeColumns(spec),
      updatedAt: new Date(),
    });
  }

  /** Draft → signed, guarded by status so two concurrent signs cannot both win. */
  async markSigned(
    tenantId: string,
    overlayId: string,
    version: number,
    signature: OverlaySignature,
  ): Promise<OverlayRecord | undefined> {
    const now = new Date();
    return this.updateDraftRow(tenantId, overlayId, version, {
      status: 'signed',
      signature: jsonValue(signature),
      keyId: signature.keyId,
      signedAt: now,
      updatedAt: now,
    });
  }

  /** Stores an overlay signed elsewhere (already verified by the caller). */
  insertSigned(spec: OverlaySpec, signature: OverlaySignature): Promise<OverlayRecord> {
    return this.insert(spec, signature);
  }

  private async insert(spec: OverlaySpec, signature: OverlaySignature | null): Promise<OverlayRecord> {
    const em = this.orm.em.fork();
    const now = new Date();
    const row = em.create(OverlayEntity, {
      tenantId: spec.tenantId,
      overlayId: spec.overlayId,
      version: spec.version,
      ...scopeColumns(spec),
      status: signature ? 'signed' : 'draft',
      signature: signature ? jsonValue(signature) : null,
      keyId: signature?.keyId ?? null,
      signedAt: signature ? now : null,
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    return toRecord(row);
  }

  /** Archives every version; the overlay stops applying. Returns the number of rows changed. */
  async archive(tenantId: string, overlayId: string): Promise<number> {
    return this.orm.em
      .fork()
      .nativeUpdate(
        OverlayEntity,
        { tenantId, overlayId, status: { $ne: 'archived' } },
        { status: 'archived', updatedAt: new Date() },
      );
  }

  /** The newest signed version of every overlay of the tenant: what the registry serves. */
  async activeSigned(tenantId: string): Promise<OverlayRecord[]> {
    const rows = await this.orm.em
      .fork()
      .createQueryBuilder(OverlayEntity)
      .select('*')
      .distinctOn(['overlayId'])
      .where({ tenantId, status: 'signed' })
      .orderBy({ overlayId: 'asc', version: 'desc' })
      .getResultList();
    return rows.map(toRecord);
  }

  /** When the service first stored this exact signature, if it did. */
  async signatureFirstSeen(tenantId: string, signatureValue: string): Promise<Date | undefined> {
    const first = await this.orm.em
      .fork()
      .findOne(
        OverlayEntity,
        { tenantId, signature: { value: signatureValue }, signedAt: { $ne: null } },
        { orderBy: { signedAt: 'asc' }, fields: ['signedAt'] },
      );
    return first?.signedAt ?? undefined;
  }

  /**
   * The update's own condition (status = 'draft') decides a race; the read in the same
   * transaction returns the row as that update left it.
   */
  private updateDraftRow(
    tenantId: string,
    overlayId: string,
    version: number,
    data: EntityData<OverlayRow>,
  ): Promise<OverlayRecord | undefined> {
    return this.orm.em.fork().transactional(async (em) => {
      const changed = await em.nativeUpdate(
        OverlayEntity,
        { tenantId, overlayId, version, status: 'draft' },
        data,
      );
      if (changed === 0) return undefined;
      return toRecord(await em.findOneOrFail(OverlayEntity, { tenantId, overlayId, version }));
    });
  }
}
