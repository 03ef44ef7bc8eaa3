import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { hashApiKey } from '../tenancy/api-key-secret.js';
import { DatabasePool, type Scope } from '@lssm/nest-common';

export interface KeyRecord {
  keyId: string;
  tenantId: string;
  scopes: readonly Scope[];
  revoked: boolean;
}

const CACHE_TTL_MS = 5_000;
const LAST_USED_WRITE_EVERY_MS = 60_000;

/**
 * Resolves a presented key to its record. Lookups are cached for a few seconds so
 * the ingestion hot path does not pay a query per request; a revocation in another
 * process therefore takes effect within CACHE_TTL_MS.
 */
@Injectable()
export class ApiKeyAuthenticator implements OnModuleDestroy {
  private readonly cache = new Map<string, { record: KeyRecord | null; expires: number }>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly db: DatabasePool) {}

  async authenticate(presented: string): Promise<KeyRecord | null> {
    const hash = hashApiKey(presented);
    const now = Date.now();
    const hit = this.cache.get(hash);
    let record: KeyRecord | null;
    if (hit && hit.expires > now) {
      record = hit.record;
    } else {
      record = await this.load(hash);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { record, expires: now + CACHE_TTL_MS });
    }
    if (record && !record.revoked) this.touch(record.keyId, now);
    return record;
  }

  /** Called after a revocation in this process so it applies at once here. */
  forget(): void {
    this.cache.clear();
  }

  onModuleDestroy(): void {
    this.cache.clear();
  }

  private async load(hash: string): Promise<KeyRecord | null> {
    // On the ingest lane: every request passes here first, so reads and jobs holding the shared
    // connections must not hold up the check in front of a write.
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

  // last_used_at is informational: written at most once a minute per key, off the request path.
  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_WRITE_EVERY_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.db.background
      .query('update api_keys set last_used_at = now() where id = $1', [keyId])
      .catch(() => this.lastUsedWritten.delete(keyId));
  }
}
