import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { keyFitsAlgorithm } from '../signing/node-crypto-params.js';
import type { OverlaySigningAlgorithm } from '../signing/overlay-signature.types.js';
import type { KeyEncryption } from './key-encryption.js';
import { conflict, isUniqueViolation, notFound, unprocessable } from '@lssm/nest-common';
import { OVERLAY_KEY_ENCRYPTION } from './overlay-nest.tokens.js';
import type { CreateSigningKeyDto, SigningKeyDto } from './overlay-keys.dto.js';
import { SigningKeyRepository, type SigningKeyRecord } from './signing-key.repository.js';
import { TenantOverlayRegistryCache } from './tenant-overlay-registry.cache.js';

const MIN_RSA_BITS = 2048;

/** Tenant-managed signing keys. Private keys are generated here or never seen at all. */
@Injectable()
export class SigningKeysService {
  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly registries: TenantOverlayRegistryCache,
    @Inject(OVERLAY_KEY_ENCRYPTION) private readonly encryption: KeyEncryption,
  ) {}

  async create(tenantId: string, body: CreateSigningKeyDto): Promise<SigningKeyDto> {
    const keyId = body.keyId ?? generatedKeyId(body.algorithm);
    let publicPem: string;
    let encrypted: string | null = null;
    if (body.publicKey !== undefined) {
      publicPem = importPublicKey(body.publicKey, body.algorithm);
    } else {
      if (!this.encryption.available) {
        throw conflict(
          'key_encryption_unavailable',
          'The server has no key-encryption key (BEHAVIOR_OVERLAY_KEK), so it cannot keep private keys; import a public key instead',
        );
      }
      // Asynchronous: RSA generation takes long enough to stall every other request.
      const pair = await newKeyPair(body.algorithm);
      publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      encrypted = this.encryption.encrypt(
        pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        tenantId,
        keyId,
      );
    }
    try {
      return toDto(await this.keys.insert(tenantId, keyId, body.algorithm, publicPem, encrypted));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('key_exists', `Signing key ${keyId} already exists`);
      throw error;
    }
  }

  async list(tenantId: string): Promise<SigningKeyDto[]> {
    return (await this.keys.list(tenantId)).map(toDto);
  }

  async revoke(tenantId: string, keyId: string, at: Date = new Date()): Promise<SigningKeyDto> {
    if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 1000) {
      throw unprocessable('invalid_revocation_time', 'revokedAt must be a time not in the future');
    }
    const record = await this.keys.revoke(tenantId, keyId, at);
    if (!record) throw notFound('key_not_found', `Signing key ${keyId} not found`);
    // The next resolve re-syncs: the registry forgets verifications made with this key.
    this.registries.invalidate(tenantId);
    return toDto(record);
  }
}

export function toDto(k: SigningKeyRecord): SigningKeyDto {
  return {
    keyId: k.keyId,
    algorithm: k.algorithm,
    publicKey: k.publicKey,
    canSign: k.hasPrivateKey && k.revokedAt === null,
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
  };
}

function generatedKeyId(algorithm: OverlaySigningAlgorithm): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `${algorithm === 'ed25519' ? 'ed' : 'ps'}-${day}-${randomBytes(4).toString('hex')}`;
}

/** Normalises to SPKI PEM; refuses private keys outright (they must not travel here). */
function importPublicKey(pem: string, algorithm: OverlaySigningAlgorithm): string {
  if (/PRIVATE KEY/.test(pem)) {
    throw unprocessable(
      'private_key_not_accepted',
      'Send the public key only; private keys never travel to the server',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw unprocessable('invalid_public_key', 'publicKey is not a readable PEM public key');
  }
  if (!keyFitsAlgorithm(algorithm, key)) {
    throw unprocessable(
      'algorithm_mismatch',
      `A ${key.asymmetricKeyType} key cannot be used for ${algorithm}`,
    );
  }
  if (algorithm === 'rsa-pss-sha256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw unprocessable('weak_key', `RSA keys need at least ${MIN_RSA_BITS} bits`);
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

function newKeyPair(
  algorithm: OverlaySigningAlgorithm,
): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject) =>
      error ? reject(error) : resolve({ publicKey, privateKey });
    if (algorithm === 'ed25519') generateKeyPair('ed25519', undefined, done);
    else generateKeyPair('rsa', { modulusLength: 3072 }, done);
  });
}
