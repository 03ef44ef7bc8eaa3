import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { PiiTreatment } from '../contracts/signal-schema.js';

/** `ai.behavior.privacy` keys this cipher reads (config/default.yaml documents them). */
export interface PiiKeySettings {
  /** Master secret of `sensitive: hash`; null when no schema hashes. */
  readonly hashSecret: string | null;
  readonly encryption: {
    /** Key id new values are encrypted with; null when no schema encrypts. */
    readonly activeKeyId: string | null;
    /** Key id → base64 of 32 bytes. Old ids stay listed so values written under them still decrypt. */
    readonly keys: Readonly<Record<string, string>>;
  };
}

export const ENCRYPTED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Derived tenant keys kept; beyond it the cache starts over (a derivation is one HMAC). */
const TENANT_KEY_CACHE = 10_000;

export class PiiKeyError extends Error {}

/**
 * Hashing and encryption of sensitive attribute values.
 * Hash: HMAC-SHA-256 under a per-tenant key derived as HMAC-SHA-256(hashSecret, "pii-hash:" +
 * tenantId), so equal values stay equal (grouping, distinct counts) within a tenant and differ
 * across tenants, with nothing per tenant to store. Encryption: AES-256-GCM, a random 96-bit IV
 * per value, the tenant id as additional data (a value copied to another tenant does not
 * decrypt), stored as `enc:v1:<keyId>:<iv>:<ciphertext+tag>` so keys can rotate.
 */
export class PiiValueCipher {
  private readonly hashSecret: Buffer | null;
  private readonly keys = new Map<string, Buffer>();
  private readonly activeKeyId: string | null;
  private readonly tenantKeys = new Map<string, Buffer>();

  constructor(settings: PiiKeySettings) {
    this.hashSecret = settings.hashSecret ? Buffer.from(settings.hashSecret, 'utf8') : null;
    for (const [id, encoded] of Object.entries(settings.encryption.keys)) {
      const key = Buffer.from(encoded, 'base64');
      if (key.length !== 32)
        throw new PiiKeyError(
          `ai.behavior.privacy.encryption.keys.${id} must be 32 bytes in base64 (got ${key.length} bytes)`,
        );
      this.keys.set(id, key);
    }
    this.activeKeyId = settings.encryption.activeKeyId;
    if (this.activeKeyId !== null && !this.keys.has(this.activeKeyId))
      throw new PiiKeyError(
        `ai.behavior.privacy.encryption.activeKeyId "${this.activeKeyId}" is not among ai.behavior.privacy.encryption.keys`,
      );
  }

  /** Why `treatment` cannot run with these settings, or null when it can. */
  missingKeyFor(treatment: PiiTreatment): string | null {
    if (treatment === 'hash' && !this.hashSecret) return 'ai.behavior.privacy.hashSecret is not set';
    if (treatment === 'encrypt' && !this.activeKeyId)
      return 'ai.behavior.privacy.encryption.activeKeyId is not set';
    return null;
  }

  /** Lowercase hex; the value's JSON text is hashed, so "1" and 1 differ. */
  hash(tenantId: string, value: unknown): string {
    return createHmac('sha256', this.tenantHashKey(tenantId)).update(JSON.stringify(value)).digest('hex');
  }

  encrypt(tenantId: string, value: unknown): string {
    if (!this.activeKeyId) throw new PiiKeyError('ai.behavior.privacy.encryption.activeKeyId is not set');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(tenantId, 'utf8'));
    const sealed = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${ENCRYPTED_PREFIX}${this.activeKeyId}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /** The original value of an `encrypt` result; throws PiiKeyError on an unknown key id or a forged value. */
  decrypt(tenantId: string, stored: string): unknown {
    if (!stored.startsWith(ENCRYPTED_PREFIX)) throw new PiiKeyError('not an encrypted value');
    const [keyId, ivText, sealedText] = stored.slice(ENCRYPTED_PREFIX.length).split(':');
    const key = keyId === undefined ? undefined : this.keys.get(keyId);
    if (!key) throw new PiiKeyError(`unknown encryption key id "${keyId}"`);
    const iv = Buffer.from(ivText ?? '', 'base64url');
    const sealed = Buffer.from(sealedText ?? '', 'base64url');
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES)
      throw new PiiKeyError('malformed encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(tenantId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8'));
    } catch {
      throw new PiiKeyError('the value does not decrypt with this key and tenant');
    }
  }

  private tenantHashKey(tenantId: string): Buffer {
    let key = this.tenantKeys.get(tenantId);
    if (!key) {
      if (!this.hashSecret) throw new PiiKeyError('ai.behavior.privacy.hashSecret is not set');
      if (this.tenantKeys.size >= TENANT_KEY_CACHE) this.tenantKeys.clear();
      key = tenantHashKey(this.hashSecret, tenantId);
      this.tenantKeys.set(tenantId, key);
    }
    return key;
  }
}

/** The per-tenant key every keyed hash of the tenant uses: HMAC-SHA-256(secret, "pii-hash:" + tenantId). */
export function tenantHashKey(secret: Buffer, tenantId: string): Buffer {
  return createHmac('sha256', secret).update(`pii-hash:${tenantId}`).digest();
}
