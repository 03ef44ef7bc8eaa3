import { defineEntity, p } from '@mikro-orm/core';
import { OVERLAY_SIGNING_ALGORITHMS } from '../signing/overlay-signature.types.js';

/**
 * privateKeyEncrypted: AES-256-GCM under the key-encryption key, bound to (tenant, key id); null
 * when only the public key was imported, and after revocation. Lazy, so only a read that asks
 * for it (signing) ever loads it.
 */
export const SigningKeyEntity = defineEntity({
  name: 'OverlaySigningKey',
  tableName: 'overlay_signing_keys',
  properties: {
    tenantId: p.text().primary(),
    keyId: p.text().primary(),
    algorithm: p.enum(OVERLAY_SIGNING_ALGORITHMS),
    publicKey: p.text(),
    privateKeyEncrypted: p.text().nullable().lazy(),
    // Whether the server can sign with the key, read without loading the key itself.
    hasPrivateKey: p
      .formula<boolean>((cols) => `${cols.privateKeyEncrypted} is not null`)
      .type('boolean')
      .persist(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
