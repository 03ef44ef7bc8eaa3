import type { OverlaySpec } from '../spec/overlay.types.js';

export type OverlaySigningAlgorithm = 'ed25519' | 'rsa-pss-sha256';

export const OVERLAY_SIGNING_ALGORITHMS: readonly OverlaySigningAlgorithm[] = ['ed25519', 'rsa-pss-sha256'];

export interface OverlaySignature {
  readonly keyId: string;
  readonly algorithm: OverlaySigningAlgorithm;
  /** ISO 8601 instant (UTC, milliseconds) at which the signature was made. */
  readonly signedAt: string;
  /** base64url (no padding) of the raw signature bytes. */
  readonly value: string;
}

export interface SignedOverlay {
  readonly spec: OverlaySpec;
  readonly signature: OverlaySignature;
}

export type OverlayVerificationFailure =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'key_revoked'
  | 'algorithm_mismatch'
  | 'invalid_key'
  | 'tampered';

export interface OverlayVerificationResult {
  readonly valid: boolean;
  readonly reason?: OverlayVerificationFailure;
}
