import { createHmac } from 'node:crypto';
import type { Queryable } from '@lssm/nest-common';
import { tenantHashKey } from '../pii/pii-value.cipher.js';

/** Derived tenant keys kept; beyond it the cache starts over (a derivation is one HMAC). */
const TENANT_KEY_CACHE = 10_000;

/**
 * Keyed hashes of user ids: what the suppression list and erasure audit rows hold instead of the
 * id, and the pseudonym stored in place of a suppressed id. Same per-tenant key as the `sensitive:
 * hash` treatment (HMAC-SHA-256(secret, "pii-hash:" + tenant)), with its own message prefixes so a
 * user hash never equals an attribute hash. The secret is ai.behavior.privacy.hashSecret or, when
 * unset, the installation's random secret in behavior_privacy_secrets (read once, lazily, so a
 * database that is down at start-up does not stop the service). Changing hashSecret changes
 * every hash: the suppression list then no longer matches (docs/privacy.md).
 */
export class UserIdHasher {
  private secret: Promise<Buffer> | null = null;
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly hashSecret: string | null,
    private readonly db: Queryable,
  ) {}

  async hash(tenantId: string, userId: string): Promise<string> {
    return this.mac(await this.key(tenantId), `user-id:${userId}`);
  }

  /** The id stored for a suppressed user in pseudonymize mode: stable per (tenant, user), not reversible. */
  async pseudonym(tenantId: string, userId: string): Promise<string> {
    return `psd_${this.mac(await this.key(tenantId), `user-pseudonym:${userId}`).slice(0, 32)}`;
  }

  /** Hash (and pseudonym when asked) of each distinct user id, computed once per id. */
  async tags(
    tenantId: string,
    userIds: readonly (string | null)[],
    withPseudonym: boolean,
  ): Promise<({ userHash: string; pseudonym: string | null } | null)[]> {
    if (userIds.every((u) => u === null)) return userIds.map(() => null);
    const key = await this.key(tenantId);
    const memo = new Map<string, { userHash: string; pseudonym: string | null }>();
    return userIds.map((userId) => {
      if (userId === null) return null;
      let tag = memo.get(userId);
      if (!tag) {
        tag = {
          userHash: this.mac(key, `user-id:${userId}`),
          pseudonym: withPseudonym ? `psd_${this.mac(key, `user-pseudonym:${userId}`).slice(0, 32)}` : null,
        };
        memo.set(userId, tag);
      }
      return tag;
    });
  }

  private mac(key: Buffer, message: string): string {
    return createHmac('sha256', key).update(message).digest('hex');
  }

  private async key(tenantId: string): Promise<Buffer> {
    let key = this.keys.get(tenantId);
    if (!key) {
      const secret = await this.loadSecret();
      if (this.keys.size >= TENANT_KEY_CACHE) this.keys.clear();
      key = tenantHashKey(secret, tenantId);
      this.keys.set(tenantId, key);
    }
    return key;
  }

  private loadSecret(): Promise<Buffer> {
    if (this.hashSecret) return Promise.resolve(Buffer.from(this.hashSecret, 'utf8'));
    this.secret ??= this.db
      .query<{ secret: string }>('select secret from behavior_privacy_secrets where id = 1')
      .then(({ rows }) => {
        if (!rows[0]) throw new Error('behavior_privacy_secrets has no row: run the migrations');
        return Buffer.from(rows[0].secret, 'utf8');
      })
      .catch((error: unknown) => {
        this.secret = null; // a database outage: try again on the next call
        throw error;
      });
    return this.secret;
  }
}
