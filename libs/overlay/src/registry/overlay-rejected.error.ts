import type { OverlayVerificationFailure } from '../signing/overlay-signature.types.js';
import type { OverlayValidationError } from '../spec/validate-overlay.js';

export type OverlayRejectionReason =
  | OverlayVerificationFailure
  /** No signature while the registry requires one. */
  | 'unsigned'
  /** The spec does not match the OverlaySpec schema. */
  | 'invalid_spec'
  /** Same overlayId and version already registered with different content. */
  | 'version_conflict'
  /** A higher version of this overlay is already registered. */
  | 'superseded';

export class OverlayRejectedError extends Error {
  constructor(
    readonly reason: OverlayRejectionReason,
    readonly overlayId: string,
    readonly version: number,
    readonly errors: readonly OverlayValidationError[] = [],
  ) {
    super(
      `overlay ${overlayId}@${version} rejected: ${reason}${errors.length ? ` (${errors.map((e) => `${e.path} ${e.message}`).join('; ')})` : ''}`,
    );
    this.name = 'OverlayRejectedError';
  }
}
