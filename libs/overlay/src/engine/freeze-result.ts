import type { OverlayApplyResult } from './overlay-engine.types.js';

/** Freezes what a memoized result shares between callers, so one caller cannot alter another's view. */
export function freezeResult(result: OverlayApplyResult): OverlayApplyResult {
  for (const field of result.spec.fields) Object.freeze(field);
  Object.freeze(result.spec.fields);
  Object.freeze(result.spec);
  for (const a of result.applied) Object.freeze(a);
  Object.freeze(result.applied);
  Object.freeze(result.warnings);
  return Object.freeze(result);
}
