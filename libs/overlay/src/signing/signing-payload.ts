import { canonicalize } from '../canonical/jcs-canonicalize.js';
import type { OverlaySpec } from '../spec/overlay.types.js';
import type { OverlaySignature } from './overlay-signature.types.js';

/** Domain tag: a signature over an overlay can never be replayed as a signature over anything else. */
export const OVERLAY_SIGNATURE_CONTEXT = 'lssm.overlay.signature/v1';

/**
 * The exact text that is signed: the RFC 8785 canonical JSON of
 * `{ context, signature: { algorithm, keyId, signedAt }, spec }`, encoded as UTF-8.
 * Binding keyId, algorithm and signedAt means none of them can be swapped after signing
 * (e.g. to back-date past a key's revocation or to point at another key).
 */
export function signingPayload(spec: OverlaySpec, meta: Omit<OverlaySignature, 'value'>): string {
  return canonicalize({
    context: OVERLAY_SIGNATURE_CONTEXT,
    signature: { algorithm: meta.algorithm, keyId: meta.keyId, signedAt: meta.signedAt },
    spec,
  });
}

// Created on first use: some embedded DOM environments (jsdom under Jest) lack TextEncoder,
// and merely importing the package there must not fail.
let encoder: TextEncoder | undefined;

export function signingPayloadBytes(spec: OverlaySpec, meta: Omit<OverlaySignature, 'value'>): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(signingPayload(spec, meta));
}
