export interface OverlayModuleOptions {
  /**
   * AES-256 key-encryption key (32 bytes, or their base64) for the private signing keys the
   * server keeps. Null disables server-side key generation and signing; importing public keys,
   * verification, resolve and apply keep working.
   */
  readonly keyEncryptionKey: string | Uint8Array | null;
  /**
   * How long a tenant's in-process registry is trusted before it is re-synchronised with the
   * database. Changes made through this process invalidate at once; this bounds how long
   * another instance keeps serving an archived overlay or a revoked key (default 10 s).
   */
  readonly registryTtlMs?: number;
  /** Audit batching (defaults: 100 records or 500 ms, whichever comes first). */
  readonly auditBatchSize?: number;
  readonly auditFlushIntervalMs?: number;
  /** Audit records held at most while the database is slow; beyond it they are dropped (default 10,000). */
  readonly auditMaxPendingRecords?: number;
}
