import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class KeyEncryptionUnavailableError extends Error {
  constructor() {
    super('No key-encryption key is configured (overlays.keyEncryptionKey / BEHAVIOR_OVERLAY_KEK)');
    this.name = 'KeyEncryptionUnavailableError';
  }
}

/**
 * AES-256-GCM envelope for private signing keys at rest. The tenant and key id are bound as
 * additional authenticated data, so a ciphertext copied onto another tenant's (or key's) row
 * does not decrypt. The stored text names a fingerprint of the key-encryption key, so a wrong
 * KEK is reported as such rather than as corrupt data.
 */
export class KeyEncryption {
  private readonly kek: Buffer | null;
  private readonly fingerprint: string | null;

  constructor(keyEncryptionKey: string | Uint8Array | null) {
    if (keyEncryptionKey === null) {
      this.kek = null;
      this.fingerprint = null;
      return;
    }
    const kek =
      typeof keyEncryptionKey === 'string'
        ? Buffer.from(keyEncryptionKey, 'base64')
        : Buffer.from(keyEncryptionKey);
    if (kek.length !== 32) throw new TypeError('the overlay key-encryption key must be 32 bytes');
    this.kek = kek;
    this.fingerprint = createHash('sha256')
      .update('lssm.overlay.kek/v1')
      .update(kek)
      .digest('hex')
      .slice(0, 16);
  }

  get available(): boolean {
    return this.kek !== null;
  }

  encrypt(plaintext: string, tenantId: string, keyId: string): string {
    if (!this.kek) throw new KeyEncryptionUnavailableError();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(aad(tenantId, keyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.fingerprint, iv, tag, ciphertext]
      .map((p) => (typeof p === 'string' ? p : p!.toString('base64url')))
      .join('.');
  }

  decrypt(stored: string, tenantId: string, keyId: string): string {
    if (!this.kek) throw new KeyEncryptionUnavailableError();
    const [version, fingerprint, iv, tag, ciphertext] = stored.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined)
      throw new Error('unreadable encrypted key');
    if (fingerprint !== this.fingerprint)
      throw new Error('the private key was encrypted with another key-encryption key');
    const decipher = createDecipheriv('aes-256-gcm', this.kek, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(tenantId, keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

const aad = (tenantId: string, keyId: string) =>
  Buffer.from(`lssm.overlay.signing-key/v1\u0000${tenantId}\u0000${keyId}`, 'utf8');
