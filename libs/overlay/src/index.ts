export type * from './spec/overlay.types.js';
export { overlaySpecSchema, OVERLAY_SPEC_SCHEMA_ID } from './spec/overlay.schema.js';
export {
  validateOverlay,
  type OverlayValidationError,
  type OverlayValidationResult,
} from './spec/validate-overlay.js';
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
export type {
  OverlayResolveContext,
  OverlayScopeLevel,
  ResolvedOverlay,
} from './registry/overlay-registry.types.js';
export {
  OverlayRegistry,
  type OverlayRegistryOptions,
  type RegistrableOverlay,
} from './registry/overlay-registry.js';
export { OverlayRejectedError, type OverlayRejectionReason } from './registry/overlay-rejected.error.js';
export { compareBySpecificity, specificityOf } from './registry/overlay-specificity.js';
export type { OverlayAuditRecord, OverlayAuditSink } from './contracts/overlay-audit-sink.js';
export { InMemoryAuditSink } from './audit/in-memory-audit-sink.js';
export { BatchingAuditSink, type BatchingAuditSinkOptions } from './audit/batching-audit-sink.js';
export type * from './engine/overlay-engine.types.js';
export { mergeOverlays } from './engine/merge-overlays.js';
export { OverlayEngine, type OverlayEngineOptions } from './engine/overlay-engine.js';
