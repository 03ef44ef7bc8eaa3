import { cloneJson } from './clone-json.js';
import { deepFreeze } from './deep-freeze.js';
import { InvalidOverlayError } from './invalid-overlay.error.js';
import type { OverlaySpec } from './overlay.types.js';
import { validateOverlay } from './validate-overlay.js';

/**
 * Validates and returns a deep-frozen copy. A copy (not the caller's object) is frozen so the
 * caller keeps a mutable draft, e.g. in an editor, while what gets signed cannot change.
 */
export function defineOverlay(spec: OverlaySpec): Readonly<OverlaySpec> {
  const result = validateOverlay(spec);
  if (!result.valid) throw new InvalidOverlayError(result.errors);
  return deepFreeze(cloneJson(spec));
}
