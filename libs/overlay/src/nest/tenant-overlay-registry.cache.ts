import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OverlayAuditSink } from '../contracts/overlay-audit-sink.js';
import type { OverlayPublicKey } from '../contracts/key-resolver.js';
import { OverlayEngine } from '../engine/overlay-engine.js';
import { OverlayRegistry } from '../registry/overlay-registry.js';
import { OverlayRejectedError } from '../registry/overlay-rejected.error.js';
import { OVERLAY_AUDIT_SINK, OVERLAY_MODULE_OPTIONS } from './overlay-nest.tokens.js';
import type { OverlayModuleOptions } from './overlay-module.options.js';
import { OverlayRepository } from './overlay.repository.js';
import { SigningKeyRepository } from './signing-key.repository.js';

interface TenantEntry {
  readonly registry: OverlayRegistry;
  readonly engine: OverlayEngine;
  /** Keys as of the last sync; the registry's resolveKey reads them, scoped to this tenant. */
  keys: Map<string, OverlayPublicKey>;
  syncedAt: number;
  stale: boolean;
  syncing?: Promise<void>;
}

/**
 * One OverlayRegistry (and engine) per tenant, filled with the tenant's signed overlays from the
 * database. The registry object lives on across re-syncs so its verification cache does too:
 * a re-sync costs two queries and no cryptography unless something changed. Changes made in
 * this process mark the tenant stale at once; other processes catch up after registryTtlMs.
 */
@Injectable()
export class TenantOverlayRegistryCache {
  private readonly logger = new Logger('overlays');
  private readonly entries = new Map<string, TenantEntry>();
  private readonly ttlMs: number;

  constructor(
    private readonly overlays: OverlayRepository,
    private readonly keys: SigningKeyRepository,
    @Inject(OVERLAY_AUDIT_SINK) private readonly audit: OverlayAuditSink,
    @Inject(OVERLAY_MODULE_OPTIONS) options: OverlayModuleOptions,
  ) {
    this.ttlMs = options.registryTtlMs ?? 10_000;
  }

  async registry(tenantId: string): Promise<OverlayRegistry> {
    return (await this.entry(tenantId)).registry;
  }

  async engine(tenantId: string): Promise<OverlayEngine> {
    return (await this.entry(tenantId)).engine;
  }

  /** After a sign, an import or an archive in this process. */
  invalidate(tenantId: string): void {
    const entry = this.entries.get(tenantId);
    if (entry) entry.stale = true;
  }

  private async entry(tenantId: string): Promise<TenantEntry> {
    let entry = this.entries.get(tenantId);
    if (!entry) {
      const keys = new Map<string, OverlayPublicKey>();
      const registry = new OverlayRegistry({
        requireSignature: true,
        // Only this tenant's keys, and only for this tenant's overlays.
        resolveKey: (keyId, context) =>
          context.tenantId === tenantId ? this.entries.get(tenantId)?.keys.get(keyId) : undefined,
      });
      entry = {
        registry,
        engine: new OverlayEngine({
          registry,
          audit: this.audit,
          onAuditError: (error) => this.logger.error(`overlay audit write failed: ${String(error)}`),
        }),
        keys,
        syncedAt: 0,
        stale: true,
      };
      this.entries.set(tenantId, entry);
    }
    if (entry.stale || Date.now() - entry.syncedAt > this.ttlMs) {
      // Concurrent requests share one sync.
      const target = entry;
      target.syncing ??= this.sync(tenantId, target)
        .catch((error: unknown) => {
          target.stale = true;
          throw error;
        })
        .finally(() => (target.syncing = undefined));
      await entry.syncing;
    }
    return entry;
  }

  private async sync(tenantId: string, entry: TenantEntry): Promise<void> {
    entry.stale = false;
    const startedAt = Date.now();
    const [keyRows, rows] = await Promise.all([
      this.keys.list(tenantId),
      this.overlays.activeSigned(tenantId),
    ]);
    const keys = new Map<string, OverlayPublicKey>(
      keyRows.map((k) => [
        k.keyId,
        { publicKey: k.publicKey, algorithm: k.algorithm, revokedAt: k.revokedAt },
      ]),
    );
    const previous = entry.keys;
    entry.keys = keys;
    // A key revoked (or removed, or changed) since the last sync: forget verifications made with it.
    for (const [keyId, before] of previous) {
      const now = keys.get(keyId);
      if (!now || revokedMs(now) !== revokedMs(before) || now.publicKey !== before.publicKey) {
        await entry.registry.invalidateKey(keyId);
      }
    }
    const wanted = new Map(rows.map((r) => [r.overlayId, r]));
    for (const current of entry.registry.list(tenantId)) {
      const row = wanted.get(current.overlayId);
      // Archived, or replaced by a lower version (the registry only moves upwards).
      if (!row || row.version < current.version) entry.registry.unregister(tenantId, current.overlayId);
    }
    for (const row of rows) {
      if (!row.signature) continue;
      try {
        await entry.registry.register({ spec: row.spec, signature: row.signature });
      } catch (error) {
        if (!(error instanceof OverlayRejectedError)) throw error;
        // A stored overlay that no longer verifies (e.g. its key was revoked before it was
        // signed) does not run; the rest of the tenant's overlays still do.
        entry.registry.unregister(tenantId, row.overlayId);
        this.logger.warn(`overlay ${tenantId}/${row.overlayId}@${row.version} not served: ${error.reason}`);
      }
    }
    entry.syncedAt = startedAt;
  }
}

const revokedMs = (key: OverlayPublicKey): number | null =>
  key.revokedAt === undefined || key.revokedAt === null ? null : new Date(key.revokedAt).getTime();
