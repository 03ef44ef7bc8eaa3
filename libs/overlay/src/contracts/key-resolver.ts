import type { KeyObject } from 'node:crypto';
import type { OverlaySigningAlgorithm } from '../signing/overlay-signature.types.js';

/** The public half of a signing key as the verifier needs it. */
export interface OverlayPublicKey {
  /** PEM (SPKI) text, or a Node KeyObject; other verifiers may accept their own key handles. */
  readonly publicKey: string | KeyObject | CryptoKey;
  readonly algorithm: OverlaySigningAlgorithm;
  /** Signatures dated at or after this instant are rejected as `key_revoked`. */
  readonly revokedAt?: Date | string | number | null;
}

/** What the verifier knows about the overlay whose key it asks for (for tenant-scoped key stores). */
export interface KeyLookupContext {
  readonly tenantId: string;
  readonly overlayId: string;
}

/**
 * Finds a public key by id. May be synchronous (an in-memory map) or asynchronous (a database);
 * `undefined` means the key is unknown. Throwing is an infrastructure failure, not a verdict,
 * and propagates to the caller.
 */
export type KeyResolver = (
  keyId: string,
  context: KeyLookupContext,
) => OverlayPublicKey | undefined | null | Promise<OverlayPublicKey | undefined | null>;
