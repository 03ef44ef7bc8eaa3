import { Inject, Injectable } from '@nestjs/common';
import { DatabasePool, type Scope } from '@lssm/nest-common';

export interface KeyRecord {
  keyId: string;
  tenantId: string;
  scopes: readonly Scope[];
  revoked: boolean;
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
    }>('select id, tenant_id, scopes, revoked_at from api_keys where key_hash = $1', [hash]);
    const row = rows[0];
    if (!row) return null;
    return {
      keyId: row.id,
      tenantId: row.tenant_id,
      scopes: row.scopes as Scope[],
      revoked: row.revoked_at !== null,
    };
  }

  async markUsed(keyId: string): Promise<void> {
    await this.db.background.query('update api_keys set last_used_at = now() where id = $1', [keyId]);
  }
}
