import { Injectable } from '@nestjs/common';
import { LockMode, type InferEntity } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import type { OverlaySigningAlgorithm } from '../signing/overlay-signature.types.js';
import { SigningKeyEntity } from './signing-key.entity.js';

export interface SigningKeyRecord {
  readonly tenantId: string;
  readonly keyId: string;
  readonly algorithm: OverlaySigningAlgorithm;
  readonly publicKey: string;
  /** Whether the server holds the (encrypted) private key and can sign with it. */
  readonly hasPrivateKey: boolean;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

type KeyRow = InferEntity<typeof SigningKeyEntity>;

// The encrypted private key is lazy: only privateKeyOf loads it, for signing.
const toRecord = (r: KeyRow, hasPrivateKey = r.hasPrivateKey): SigningKeyRecord => ({
  tenantId: r.tenantId,
  keyId: r.keyId,
  algorithm: r.algorithm,
  publicKey: r.publicKey,
  hasPrivateKey,
  createdAt: r.createdAt,
  revokedAt: r.revokedAt ?? null,
});

@Injectable()
export class SigningKeyRepository {
  constructor(private readonly orm: MikroORM) {}

  async insert(
    tenantId: string,
    keyId: string,
    algorithm: OverlaySigningAlgorithm,
    publicKey: string,
    privateKeyEncrypted: string | null,
  ): Promise<SigningKeyRecord> {
    const em = this.orm.em.fork();
    const row = em.create(SigningKeyEntity, {
      tenantId,
      keyId,
      algorithm,
      publicKey,
      privateKeyEncrypted,
      createdAt: new Date(),
      revokedAt: null,
    });
    await em.flush();
    return toRecord(row, privateKeyEncrypted !== null);
  }

  async list(tenantId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.orm.em
      .fork()
      .find(SigningKeyEntity, { tenantId }, { orderBy: { createdAt: 'desc', keyId: 'asc' } });
    return rows.map((r) => toRecord(r));
  }

  async find(tenantId: string, keyId: string): Promise<SigningKeyRecord | undefined> {
    const row = await this.orm.em.fork().findOne(SigningKeyEntity, { tenantId, keyId });
    return row ? toRecord(row) : undefined;
  }

  /** The newest key the server can still sign with. */
  async newestSignable(tenantId: string): Promise<SigningKeyRecord | undefined> {
    const row = await this.orm.em
      .fork()
      .findOne(
        SigningKeyEntity,
        { tenantId, revokedAt: null, privateKeyEncrypted: { $ne: null } },
        { orderBy: { createdAt: 'desc', keyId: 'desc' } },
      );
    return row ? toRecord(row) : undefined;
  }

  async privateKeyOf(tenantId: string, keyId: string): Promise<string | null> {
    const row = await this.orm.em
      .fork()
      .findOne(SigningKeyEntity, { tenantId, keyId, revokedAt: null }, { fields: ['privateKeyEncrypted'] });
    return row?.privateKeyEncrypted ?? null;
  }

  /**
   * Revokes at `at` (never later than an earlier revocation) and destroys the encrypted private
   * key: a revoked key never signs again, so there is nothing left worth protecting. The row is
   * locked first, so a concurrent revocation cannot slip between the read and the write.
   */
  async revoke(tenantId: string, keyId: string, at: Date): Promise<SigningKeyRecord | undefined> {
    return this.orm.em.fork().transactional(async (em) => {
      const row = await em.findOne(
        SigningKeyEntity,
        { tenantId, keyId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['privateKeyEncrypted'] },
      );
      if (!row) return undefined;
      if (!row.revokedAt || at < row.revokedAt) row.revokedAt = at;
      row.privateKeyEncrypted = null;
      await em.flush();
      return toRecord(row, false);
    });
  }
}
