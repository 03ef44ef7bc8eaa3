import type { OverlayValidationError } from './validate-overlay.js';

export class InvalidOverlayError extends Error {
  constructor(readonly errors: readonly OverlayValidationError[]) {
    super(`Invalid overlay spec: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    this.name = 'InvalidOverlayError';
  }
}
