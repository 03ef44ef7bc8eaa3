import { CanonicalizationError } from '../canonical/jcs-canonicalize.js';
import type { KeyResolver } from '../contracts/key-resolver.js';
import type { SignatureVerifier } from '../contracts/signature-verifier.js';
import { decodeBase64Url } from './base64url.js';
import { InvalidPublicKeyError, nodeSignatureVerifier } from './node-signature-verifier.js';
import {
  OVERLAY_SIGNING_ALGORITHMS,
  type OverlaySigningAlgorithm,
  type OverlayVerificationResult,
  type SignedOverlay,
} from './overlay-signature.types.js';
import { signingPayloadBytes } from './signing-payload.js';
import { isSignedOverlayEnvelope } from './validate-signed-overlay.js';

export interface VerifyOverlayOptions {
  /** Defaults to node:crypto; pass a WebCrypto-backed verifier in browsers. */
  readonly verifier?: SignatureVerifier;
}

const fail = (reason: NonNullable<OverlayVerificationResult['reason']>): OverlayVerificationResult => ({
  valid: false,
  reason,
});

function instant(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
}

/**
 * Checks, in order: envelope shape, algorithm, key lookup, algorithm agreement with the key,
 * revocation (a key revoked at or before signedAt), then the signature over the signing payload.
 * Errors thrown by resolveKey propagate: an unreachable key store is not a verdict on the overlay.
 */
export async function verifyOverlay(
  signed: SignedOverlay,
  resolveKey: KeyResolver,
  options: VerifyOverlayOptions = {},
): Promise<OverlayVerificationResult> {
  if (!isSignedOverlayEnvelope(signed)) return fail('malformed');
  const { spec, signature } = signed;
  if (!OVERLAY_SIGNING_ALGORITHMS.includes(signature.algorithm as OverlaySigningAlgorithm)) {
    return fail('unsupported_algorithm');
  }
  const signatureBytes = decodeBase64Url(signature.value);
  if (!signatureBytes) return fail('malformed');

  let message: Uint8Array;
  try {
    message = signingPayloadBytes(spec, signature);
  } catch (error) {
    if (error instanceof CanonicalizationError) return fail('malformed');
    throw error;
  }

  const key = await resolveKey(signature.keyId, {
    tenantId: String((spec as { tenantId?: unknown }).tenantId ?? ''),
    overlayId: String((spec as { overlayId?: unknown }).overlayId ?? ''),
  });
  if (!key) return fail('unknown_key');
  if (key.algorithm !== signature.algorithm) return fail('algorithm_mismatch');
  if (key.revokedAt !== undefined && key.revokedAt !== null) {
    const revokedAt = instant(key.revokedAt);
    // An unreadable revocation time fails closed.
    if (Number.isNaN(revokedAt) || revokedAt <= Date.parse(signature.signedAt)) return fail('key_revoked');
  }

  try {
    const ok = await (options.verifier ?? nodeSignatureVerifier).verify(key, message, signatureBytes);
    return ok ? { valid: true } : fail('tampered');
  } catch (error) {
    if (error instanceof InvalidPublicKeyError) return fail('invalid_key');
    throw error;
  }
}
