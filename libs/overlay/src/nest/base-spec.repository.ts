import { Injectable } from '@nestjs/common';
import type { BaseSpec } from '../engine/overlay-engine.types.js';
import { json, OverlayDatabase, toDate } from './overlay-database.js';

export const MAX_LISTED_BASE_SPECS = 1000;

export interface BaseSpecRecord {
  readonly capability: string;
  readonly spec: BaseSpec;
  readonly updatedAt: Date;
}

/** A tenant's stored base specs, so the editor (and apply by capability) need not be sent one. */
@Injectable()
export class BaseSpecRepository {
  constructor(private readonly db: OverlayDatabase) {}

  async find(tenantId: string, capability: string): Promise<BaseSpecRecord | undefined> {
    const rows = await this.db.query<{ capability: string; spec: BaseSpec; updated_at: Date }>(
      'select capability, spec, updated_at from overlay_base_specs where tenant_id = ? and capability = ?',
      [tenantId, capability],
    );
    const r = rows[0];
    return r && { capability: r.capability, spec: r.spec, updatedAt: toDate(r.updated_at) };
  }

  /** The first MAX_LISTED_BASE_SPECS capabilities by name: a listing stays bounded. */
  async list(tenantId: string): Promise<string[]> {
    const rows = await this.db.query<{ capability: string }>(
      'select capability from overlay_base_specs where tenant_id = ? order by capability limit ?',
      [tenantId, MAX_LISTED_BASE_SPECS],
    );
    return rows.map((r) => r.capability);
  }

  async upsert(tenantId: string, spec: BaseSpec): Promise<BaseSpecRecord> {
    const rows = await this.db.query<{ capability: string; spec: BaseSpec; updated_at: Date }>(
      `insert into overlay_base_specs (tenant_id, capability, spec) values (?, ?, ?::jsonb)
       on conflict (tenant_id, capability) do update set spec = excluded.spec, updated_at = now()
       returning capability, spec, updated_at`,
      [tenantId, spec.capability, json(spec)],
    );
    const r = rows[0]!;
    return { capability: r.capability, spec: r.spec, updatedAt: toDate(r.updated_at) };
  }
}
