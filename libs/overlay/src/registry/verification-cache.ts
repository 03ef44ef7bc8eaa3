import type { OverlaySignature } from '../signing/overlay-signature.types.js';
import type { OverlaySpec } from '../spec/overlay.types.js';

interface CacheEntry {
  /** The exact signing payload that verified; a hit must match it, so a cached id can't launder a changed spec. */
  readonly payload: string;
  readonly keyId: string;
}

/**
 * Remembers successful verifications per (tenant, overlayId, version, signature value).
 * Only successes are cached: a failure such as unknown_key may be fixed by adding the key.
 * Bounded, evicting the oldest entry, because a long-running service sees many versions.
 */
export class VerificationCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly maxEntries = 10_000) {}

  private static key(spec: OverlaySpec, signature: OverlaySignature): string {
    return `${spec.tenantId}\u0000${spec.overlayId}\u0000${spec.version}\u0000${signature.value}`;
  }

  has(spec: OverlaySpec, signature: OverlaySignature, payload: string): boolean {
    return this.entries.get(VerificationCache.key(spec, signature))?.payload === payload;
  }

  remember(spec: OverlaySpec, signature: OverlaySignature, payload: string): void {
    const key = VerificationCache.key(spec, signature);
    this.entries.delete(key);
    this.entries.set(key, { payload, keyId: signature.keyId });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  forgetKey(keyId: string): void {
    for (const [key, entry] of this.entries) if (entry.keyId === keyId) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
