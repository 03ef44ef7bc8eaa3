import { Inject, Injectable } from '@nestjs/common';
import { DatabasePool, type Scope } from '@lssm/nest-common';
import type { ApiKeyType } from './api-key-secret.js';

export interface KeyRecord {
  keyId: string;
  tenantId: string;
  scopes: readonly Scope[];
  revoked: boolean;
  type: ApiKeyType;
  /** Publishable keys only: the `Origin` values a request must carry. */
  allowedOrigins: readonly string[] | null;
  /** Publishable keys only, optional: the schema ids its items may name. */
  allowedSchemas: readonly string[] | null;
}

/**
 * The per-request key lookup, in plain SQL on the ingest lane: every request passes here first,
 * so reads and jobs holding the shared connections must not hold up the check in front of a
 * write. (Creating, listing and revoking keys go through the ApiKey entity in TenancyService.)
 */
@Injectable()
export class ApiKeyLookupRepository {
  constructor(@Inject(DatabasePool) private readonly db: DatabasePool) {}

  async findByHash(hash: string): Promise<KeyRecord | null> {
    const { rows } = await this.db.ingest.query<{
      id: string;
      tenant_id: string;
      scopes: string[];
      revoked_at: Date | null;
      key_type: ApiKeyType;
      allowed_origins: string[] | null;
      allowed_schemas: string[] | null;
    }>(
      `select id, tenant_id, scopes, revoked_at, key_type, allowed_origins, allowed_schemas
         from api_keys where key_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      keyId: row.id,
      tenantId: row.tenant_id,
      scopes: row.scopes as Scope[],
      revoked: row.revoked_at !== null,
      type: row.key_type,
      allowedOrigins: row.allowed_origins,
      allowedSchemas: row.allowed_schemas,
    };
  }

  /** Every origin some active publishable key (of any tenant) allows: what CORS may grant. */
  async activePublishableOrigins(): Promise<Set<string>> {
    const { rows } = await this.db.ingest.query<{ origin: string }>(
      `select distinct unnest(allowed_origins) as origin
         from api_keys where key_type = 'publishable' and revoked_at is null`,
    );
    return new Set(rows.map((r) => r.origin));
  }

  async markUsed(keyId: string): Promise<void> {
    await this.db.background.query('update api_keys set last_used_at = now() where id = $1', [keyId]);
  }
}
