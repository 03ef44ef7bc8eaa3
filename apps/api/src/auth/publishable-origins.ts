import { Injectable } from '@nestjs/common';
import { ApiKeyLookupRepository } from '../tenancy/api-key-lookup.repository.js';

const CACHE_TTL_MS = 30_000;

/**
 * The origins CORS may grant: those listed by some active publishable key of any tenant. Held for
 * CACHE_TTL_MS so a preflight costs no query; a key created or revoked in another process is
 * seen within that time (in this process at once, through forget()). The grant only lets the
 * browser send: the key itself is still checked against its own origins on every request.
 */
@Injectable()
export class PublishableOrigins {
  private current: { origins: Set<string>; expires: number } | null = null;
  private loading: Promise<Set<string>> | null = null;
  private generation = 0;
  /** The last set loaded, kept across forget() for when the database cannot answer. */
  private stale: Set<string> | null = null;

  constructor(private readonly keys: ApiKeyLookupRepository) {}

  async allows(origin: string): Promise<boolean> {
    const now = Date.now();
    if (this.current && this.current.expires > now) return this.current.origins.has(origin);
    // One query however many preflights arrive while it runs.
    const generation = this.generation;
    this.loading ??= this.keys.activePublishableOrigins().finally(() => (this.loading = null));
    let origins: Set<string>;
    try {
      origins = await this.loading;
    } catch {
      // Database unavailable: the last known set keeps browsers working (the request itself then
      // meets the database error, or is granted nothing); a preflight never turns into a 500.
      return this.stale?.has(origin) ?? false;
    }
    // A load that started before a forget() may predate the key just created: not kept.
    if (generation === this.generation) {
      this.current = { origins, expires: now + CACHE_TTL_MS };
      this.stale = origins;
    }
    return origins.has(origin);
  }

  forget(): void {
    this.generation++;
    this.current = null;
    this.loading = null;
  }
}
