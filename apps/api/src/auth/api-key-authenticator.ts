import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { hashApiKey } from '../tenancy/api-key-secret.js';
import { ApiKeyLookupRepository, type KeyRecord } from '../tenancy/api-key-lookup.repository.js';

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

  constructor(private readonly keys: ApiKeyLookupRepository) {}

  async authenticate(presented: string): Promise<KeyRecord | null> {
    const hash = hashApiKey(presented);
    const now = Date.now();
    const hit = this.cache.get(hash);
    let record: KeyRecord | null;
    if (hit && hit.expires > now) {
      record = hit.record;
    } else {
      record = await this.keys.findByHash(hash);
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

  // last_used_at is informational: written at most once a minute per key, off the request path.
  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_WRITE_EVERY_MS) return;
    this.lastUsedWritten.set(keyId, now);
    this.keys.markUsed(keyId).catch(() => this.lastUsedWritten.delete(keyId));
  }
}
