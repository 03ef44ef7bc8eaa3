import type { WorkflowValidationError, WorkflowValidationResult } from '../contracts/validation.types.js';
import { checkNonEmptyString, checkStep, isRecord, shapeError } from './shape-checks.js';

/** Structural check of an untrusted value: field presence and types only, no graph rules. */
export function validateWorkflowShape(value: unknown): WorkflowValidationResult {
  const errors: WorkflowValidationError[] = [];
  if (!isRecord(value)) {
    errors.push(shapeError('$', 'a workflow must be an object'));
    return { valid: false, errors };
  }
  checkNonEmptyString(value.id, 'id', errors);
  if (!Number.isInteger(value.version) || (value.version as number) < 1) {
    errors.push(shapeError('version', 'must be a positive integer'));
  }
  checkNonEmptyString(value.name, 'name', errors, true);
  checkNonEmptyString(value.start, 'start', errors);
  if (!Array.isArray(value.steps)) {
    errors.push(shapeError('steps', 'must be an array'));
  } else {
    value.steps.forEach((step, i) => checkStep(step, `steps[${i}]`, errors, false));
  }
  if (!Array.isArray(value.terminal)) {
    errors.push(shapeError('terminal', 'must be an array'));
  } else {
    value.terminal.forEach((id, i) => checkNonEmptyString(id, `terminal[${i}]`, errors));
  }
  return { valid: errors.length === 0, errors };
}
