import { Injectable } from '@nestjs/common';
import type { InferEntity } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { jsonValue } from '@lssm/nest-common';
import type { BaseSpec } from '../engine/overlay-engine.types.js';
import { BaseSpecEntity } from './base-spec.entity.js';

export const MAX_LISTED_BASE_SPECS = 1000;

export interface BaseSpecRecord {
  readonly capability: string;
  readonly spec: BaseSpec;
  readonly updatedAt: Date;
}

const toRecord = (r: InferEntity<typeof BaseSpecEntity>): BaseSpecRecord => ({
  capability: r.capability,
  spec: r.spec,
  updatedAt: r.updatedAt,
});

/** A tenant's stored base specs, so the editor (and apply by capability) need not be sent one. */
@Injectable()
export class BaseSpecRepository {
  constructor(private readonly orm: MikroORM) {}

  async find(tenantId: string, capability: string): Promise<BaseSpecRecord | undefined> {
    const row = await this.orm.em.fork().findOne(BaseSpecEntity, { tenantId, capability });
    return row ? toRecord(row) : undefined;
  }

  /** The first MAX_LISTED_BASE_SPECS capabilities by name: a listing stays bounded. */
  async list(tenantId: string): Promise<string[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        BaseSpecEntity,
        { tenantId },
        { fields: ['capability'], orderBy: { capability: 'asc' }, limit: MAX_LISTED_BASE_SPECS },
      );
    return rows.map((r) => r.capability);
  }

  /** One INSERT … ON CONFLICT, so two concurrent first uploads of a capability both succeed. */
  async upsert(tenantId: string, spec: BaseSpec): Promise<BaseSpecRecord> {
    const row = await this.orm.em.fork().upsert(BaseSpecEntity, {
      tenantId,
      capability: spec.capability,
      spec: jsonValue(spec),
      updatedAt: new Date(),
    });
    return toRecord(row);
  }
}
