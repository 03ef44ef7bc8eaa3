export type * from './spec/overlay.types.js';
export { overlaySpecSchema, OVERLAY_SPEC_SCHEMA_ID } from './spec/overlay.schema.js';
export { validateOverlay, type OverlayValidationError, type OverlayValidationResult } from './spec/validate-overlay.js';
export { defineOverlay } from './spec/define-overlay.js';
export { InvalidOverlayError } from './spec/invalid-overlay.error.js';
export { canonicalize, CanonicalizationError } from './canonical/jcs-canonicalize.js';
export type { KeyResolver, KeyLookupContext, OverlayPublicKey } from './contracts/key-resolver.js';
export type { SignatureVerifier } from './contracts/signature-verifier.js';
export {
  OVERLAY_SIGNING_ALGORITHMS,
  type OverlaySignature,
  type OverlaySigningAlgorithm,
  type OverlayVerificationFailure,
  type OverlayVerificationResult,
  type SignedOverlay,
} from './signing/overlay-signature.types.js';
export { OVERLAY_SIGNATURE_CONTEXT, signingPayload } from './signing/signing-payload.js';
export { signedOverlaySchema } from './signing/signed-overlay.schema.js';
export { signOverlay, type SignOverlayOptions } from './signing/sign-overlay.js';
export { verifyOverlay, type VerifyOverlayOptions } from './signing/verify-overlay.js';
export { nodeSignatureVerifier, InvalidPublicKeyError } from './signing/node-signature-verifier.js';
