import { Injectable } from '@nestjs/common';
import type { OverlaySigningAlgorithm } from '../signing/overlay-signature.types.js';
import { OverlayDatabase, toDate } from './overlay-database.js';

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

interface KeyRow {
  tenant_id: string;
  key_id: string;
  algorithm: OverlaySigningAlgorithm;
  public_key: string;
  has_private_key: boolean;
  created_at: Date;
  revoked_at: Date | null;
}

// The encrypted private key is never selected here; only privateKeyOf reads it, for signing.
const COLUMNS =
  'tenant_id, key_id, algorithm, public_key, private_key_encrypted is not null as has_private_key, created_at, revoked_at';

const toRecord = (r: KeyRow): SigningKeyRecord => ({
  tenantId: r.tenant_id,
  keyId: r.key_id,
  algorithm: r.algorithm,
  publicKey: r.public_key,
  hasPrivateKey: r.has_private_key,
  createdAt: toDate(r.created_at),
  revokedAt: toDate(r.revoked_at),
});

@Injectable()
export class SigningKeyRepository {
  constructor(private readonly db: OverlayDatabase) {}

  async insert(
    tenantId: string,
    keyId: string,
    algorithm: OverlaySigningAlgorithm,
    publicKey: string,
    privateKeyEncrypted: string | null,
  ): Promise<SigningKeyRecord> {
    const rows = await this.db.query<KeyRow>(
      `insert into overlay_signing_keys (tenant_id, key_id, algorithm, public_key, private_key_encrypted)
       values (?, ?, ?, ?, ?) returning ${COLUMNS}`,
      [tenantId, keyId, algorithm, publicKey, privateKeyEncrypted],
    );
    return toRecord(rows[0]!);
  }

  async list(tenantId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.db.query<KeyRow>(
      `select ${COLUMNS} from overlay_signing_keys where tenant_id = ? order by created_at desc, key_id`,
      [tenantId],
    );
    return rows.map(toRecord);
  }

  async find(tenantId: string, keyId: string): Promise<SigningKeyRecord | undefined> {
    const rows = await this.db.query<KeyRow>(
      `select ${COLUMNS} from overlay_signing_keys where tenant_id = ? and key_id = ?`,
      [tenantId, keyId],
    );
    return rows[0] && toRecord(rows[0]);
  }

  /** The newest key the server can still sign with. */
  async newestSignable(tenantId: string): Promise<SigningKeyRecord | undefined> {
    const rows = await this.db.query<KeyRow>(
      `select ${COLUMNS} from overlay_signing_keys
       where tenant_id = ? and revoked_at is null and private_key_encrypted is not null
       order by created_at desc, key_id desc limit 1`,
      [tenantId],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async privateKeyOf(tenantId: string, keyId: string): Promise<string | null> {
    const rows = await this.db.query<{ private_key_encrypted: string | null }>(
      `select private_key_encrypted from overlay_signing_keys
       where tenant_id = ? and key_id = ? and revoked_at is null`,
      [tenantId, keyId],
    );
    return rows[0]?.private_key_encrypted ?? null;
  }

  /**
   * Revokes at `at` (never later than an earlier revocation) and destroys the encrypted private
   * key: a revoked key never signs again, so there is nothing left worth protecting.
   */
  async revoke(tenantId: string, keyId: string, at: Date): Promise<SigningKeyRecord | undefined> {
    const rows = await this.db.query<KeyRow>(
      `update overlay_signing_keys
       set revoked_at = least(coalesce(revoked_at, 'infinity'::timestamptz), ?::timestamptz),
           private_key_encrypted = null
       where tenant_id = ? and key_id = ? returning ${COLUMNS}`,
      [at.toISOString(), tenantId, keyId],
    );
    return rows[0] && toRecord(rows[0]);
  }
}
