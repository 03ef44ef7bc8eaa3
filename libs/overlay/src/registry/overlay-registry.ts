import { canonicalize, CanonicalizationError } from '../canonical/jcs-canonicalize.js';
import type { KeyResolver } from '../contracts/key-resolver.js';
import type { SignatureVerifier } from '../contracts/signature-verifier.js';
import type { OverlaySignature, SignedOverlay } from '../signing/overlay-signature.types.js';
import { signingPayload } from '../signing/signing-payload.js';
import { verifyOverlay } from '../signing/verify-overlay.js';
import { cloneJson } from '../spec/clone-json.js';
import { deepFreeze } from '../spec/deep-freeze.js';
import type { OverlaySpec } from '../spec/overlay.types.js';
import { validateOverlay } from '../spec/validate-overlay.js';
import { OverlayRejectedError } from './overlay-rejected.error.js';
import type { OverlayResolveContext, ResolvedOverlay } from './overlay-registry.types.js';
import { compareBySpecificity, levelOf, scopeMatches, specificityOf } from './overlay-specificity.js';
import { VerificationCache } from './verification-cache.js';

export interface OverlayRegistryOptions {
  /** Required when signatures are required; also used to verify signed overlays when they are not. */
  readonly resolveKey?: KeyResolver;
  readonly requireSignature?: boolean;
  readonly verifier?: SignatureVerifier;
  readonly verificationCacheSize?: number;
}

/** An overlay as handed to register(): signed, or (only with requireSignature: false) bare. */
export type RegistrableOverlay =
  SignedOverlay | { readonly spec: OverlaySpec; readonly signature?: undefined };

const bucketKey = (tenantId: string, capability: string) => `${tenantId}\u0000${capability}`;
const idKey = (tenantId: string, overlayId: string) => `${tenantId}\u0000${overlayId}`;

/**
 * Holds the verified overlays that may run, one (the highest) version per overlay, indexed by
 * tenant and capability and kept sorted by specificity so resolve() is a filter, not a sort.
 */
export class OverlayRegistry {
  private readonly resolveKey?: KeyResolver;
  private readonly requireSignature: boolean;
  private readonly verifier?: SignatureVerifier;
  private readonly cache: VerificationCache;
  private readonly buckets = new Map<string, ResolvedOverlay[]>();
  private readonly byId = new Map<string, ResolvedOverlay>();
  private readonly listeners = new Set<() => void>();
  // Kept beside (not inside) ResolvedOverlay: consumers need keyId/signedAt, not the raw signature.
  private readonly signatures = new WeakMap<ResolvedOverlay, OverlaySignature>();
  private currentRevision = 0;

  constructor(options: OverlayRegistryOptions = {}) {
    this.requireSignature = options.requireSignature ?? true;
    if (this.requireSignature && !options.resolveKey) {
      throw new TypeError('OverlayRegistry needs resolveKey when signatures are required');
    }
    this.resolveKey = options.resolveKey;
    this.verifier = options.verifier;
    this.cache = new VerificationCache(options.verificationCacheSize);
  }

  /** Increases on every change; lets UIs (useSyncExternalStore) and caches notice updates. */
  get revision(): number {
    return this.currentRevision;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Validates and verifies, then makes the overlay resolvable. Rejects with
   * OverlayRejectedError (reason: unsigned, invalid_spec, a verification failure,
   * version_conflict or superseded). Re-registering an already verified signature is cheap.
   */
  async register(overlay: RegistrableOverlay): Promise<ResolvedOverlay> {
    const spec = (overlay as { spec?: unknown } | null)?.spec as OverlaySpec;
    const validation = validateOverlay(spec);
    if (!validation.valid) {
      const s = (spec ?? {}) as Partial<OverlaySpec>;
      throw new OverlayRejectedError(
        'invalid_spec',
        String(s.overlayId),
        Number(s.version),
        validation.errors,
      );
    }
    const signature = overlay.signature;
    if (signature === undefined || signature === null) {
      if (this.requireSignature) throw new OverlayRejectedError('unsigned', spec.overlayId, spec.version);
    } else {
      await this.verify(overlay as SignedOverlay);
    }
    return this.store(spec, signature ?? undefined);
  }

  /** The overlays that apply to the context, least specific first (apply them in this order). */
  resolve(context: OverlayResolveContext): ResolvedOverlay[] {
    const bucket = this.buckets.get(bucketKey(context.tenantId, context.capability));
    const result: ResolvedOverlay[] = [];
    if (!bucket) return result;
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]!;
      if (scopeMatches(entry.spec.scope, context)) result.push(entry);
    }
    return result;
  }

  get(tenantId: string, overlayId: string): ResolvedOverlay | undefined {
    return this.byId.get(idKey(tenantId, overlayId));
  }

  list(tenantId: string): ResolvedOverlay[] {
    return [...this.byId.values()].filter((o) => o.spec.tenantId === tenantId).sort(compareBySpecificity);
  }

  unregister(tenantId: string, overlayId: string): boolean {
    const existing = this.byId.get(idKey(tenantId, overlayId));
    if (!existing) return false;
    this.remove(existing);
    this.changed();
    return true;
  }

  /**
   * Call when a key is revoked or replaced: forgets cached verifications made with it and
   * re-verifies the overlays it signed, dropping those that no longer verify (signatures dated
   * before a revocation stay valid). Returns the overlays removed.
   */
  async invalidateKey(keyId: string): Promise<ResolvedOverlay[]> {
    this.cache.forgetKey(keyId);
    const removed: ResolvedOverlay[] = [];
    for (const entry of [...this.byId.values()]) {
      if (entry.keyId !== keyId || !entry.signedAt) continue;
      try {
        await this.verify({ spec: entry.spec, signature: this.signatureOf(entry) });
      } catch (error) {
        if (!(error instanceof OverlayRejectedError)) throw error;
        if (this.byId.get(idKey(entry.spec.tenantId, entry.overlayId)) === entry) {
          this.remove(entry);
          removed.push(entry);
        }
      }
    }
    if (removed.length > 0) this.changed();
    return removed;
  }

  private signatureOf(entry: ResolvedOverlay): OverlaySignature {
    return this.signatures.get(entry)!;
  }

  private async verify(signed: SignedOverlay): Promise<void> {
    const { spec, signature } = signed;
    let payload: string;
    try {
      payload = signingPayload(spec, signature);
    } catch (error) {
      if (error instanceof CanonicalizationError || error instanceof TypeError) {
        throw new OverlayRejectedError('malformed', spec.overlayId, spec.version);
      }
      throw error;
    }
    if (this.cache.has(spec, signature, payload)) return;
    if (!this.resolveKey) throw new OverlayRejectedError('unknown_key', spec.overlayId, spec.version);
    const result = await verifyOverlay(signed, this.resolveKey, { verifier: this.verifier });
    if (!result.valid)
      throw new OverlayRejectedError(result.reason ?? 'tampered', spec.overlayId, spec.version);
    this.cache.remember(spec, signature, payload);
  }

  private store(spec: OverlaySpec, signature: OverlaySignature | undefined): ResolvedOverlay {
    const key = idKey(spec.tenantId, spec.overlayId);
    const existing = this.byId.get(key);
    if (existing) {
      if (existing.version > spec.version)
        throw new OverlayRejectedError('superseded', spec.overlayId, spec.version);
      if (existing.version === spec.version) {
        const existingSignature = this.signatures.get(existing);
        // Both verified with the same signature value means the same content: a reload, not a
        // change, so no copy and no notification (UIs would re-render for nothing).
        if (signature && existingSignature?.value === signature.value) return existing;
        if (canonicalize(existing.spec) !== canonicalize(spec)) {
          throw new OverlayRejectedError('version_conflict', spec.overlayId, spec.version);
        }
        // Same content without a signature must not strip the signature already held.
        if (!signature) return existing;
      }
    }
    // A private frozen copy: later mutation of the caller's object cannot change what runs.
    const frozenSpec = deepFreeze(cloneJson(spec));
    const specificity = specificityOf(frozenSpec.scope);
    const entry: ResolvedOverlay = Object.freeze({
      overlayId: frozenSpec.overlayId,
      version: frozenSpec.version,
      ...(signature ? { keyId: signature.keyId, signedAt: signature.signedAt } : {}),
      level: levelOf(specificity),
      specificity,
      spec: frozenSpec,
    });
    if (signature) this.signatures.set(entry, Object.freeze({ ...signature }));
    if (existing) this.remove(existing);
    this.byId.set(key, entry);
    const bKey = bucketKey(frozenSpec.tenantId, frozenSpec.capability);
    const bucket = this.buckets.get(bKey) ?? [];
    bucket.push(entry);
    bucket.sort(compareBySpecificity);
    this.buckets.set(bKey, bucket);
    this.changed();
    return entry;
  }

  private remove(entry: ResolvedOverlay): void {
    this.byId.delete(idKey(entry.spec.tenantId, entry.overlayId));
    const bKey = bucketKey(entry.spec.tenantId, entry.spec.capability);
    const bucket = this.buckets.get(bKey);
    if (!bucket) return;
    const next = bucket.filter((e) => e !== entry);
    if (next.length === 0) this.buckets.delete(bKey);
    else this.buckets.set(bKey, next);
  }

  private changed(): void {
    this.currentRevision++;
    for (const listener of this.listeners) listener();
  }
}
