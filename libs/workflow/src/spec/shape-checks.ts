import type { WorkflowValidationError } from '../contracts/validation.types.js';

/* Hand-written structural checks: the core stays dependency-free (no JSON Schema
 * engine) so it can run in a browser, and the errors carry our own paths. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

export function shapeError(path: string, message: string): WorkflowValidationError {
  return { code: 'invalid_shape', path, message: `${path}: ${message}` };
}

export function checkNonEmptyString(
  value: unknown,
  path: string,
  errors: WorkflowValidationError[],
  optional = false,
): void {
  if (optional && value === undefined) return;
  if (!isNonEmptyString(value)) errors.push(shapeError(path, 'must be a non-empty string'));
}

export function checkTransitions(value: unknown, path: string, errors: WorkflowValidationError[]): void {
  if (!Array.isArray(value)) {
    errors.push(shapeError(path, 'must be an array'));
    return;
  }
  value.forEach((transition, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(transition)) {
      errors.push(shapeError(at, 'must be an object'));
      return;
    }
    checkNonEmptyString(transition.to, `${at}.to`, errors);
    checkNonEmptyString(transition.on, `${at}.on`, errors, true);
  });
}

/** Checks a step; `transitionsOptional` is for steps carried by extensions, which the composer wires in. */
export function checkStep(
  value: unknown,
  path: string,
  errors: WorkflowValidationError[],
  transitionsOptional: boolean,
): void {
  if (!isRecord(value)) {
    errors.push(shapeError(path, 'must be an object'));
    return;
  }
  checkNonEmptyString(value.id, `${path}.id`, errors);
  checkNonEmptyString(value.type, `${path}.type`, errors);
  checkNonEmptyString(value.label, `${path}.label`, errors);
  if (!(transitionsOptional && value.transitions === undefined)) {
    checkTransitions(value.transitions, `${path}.transitions`, errors);
  }
  if (value.config !== undefined && !isRecord(value.config)) {
    errors.push(shapeError(`${path}.config`, 'must be an object when present'));
  }
}
