import type { WorkflowValidationError, WorkflowValidationResult } from '../contracts/validation.types.js';
import { checkNonEmptyString, checkStep, isRecord, shapeError } from './shape-checks.js';

const ANCHORED = new Set(['insertBefore', 'insertAfter', 'replaceStep', 'removeStep', 'setLabel']);
const WITH_STEP = new Set(['insertBefore', 'insertAfter', 'replaceStep']);

/** Structural check of an extension (ids, scope, operations); anchors are resolved by the composer. */
export function validateExtensionShape(value: unknown): WorkflowValidationResult {
  const errors: WorkflowValidationError[] = [];
  if (!isRecord(value)) {
    errors.push(shapeError('$', 'an extension must be an object'));
    return { valid: false, errors };
  }
  checkNonEmptyString(value.extensionId, 'extensionId', errors);
  checkNonEmptyString(value.workflowId, 'workflowId', errors);
  if (
    value.baseVersion !== undefined &&
    (!Number.isInteger(value.baseVersion) || (value.baseVersion as number) < 1)
  ) {
    errors.push(shapeError('baseVersion', 'must be a positive integer when present'));
  }
  if (
    value.priority !== undefined &&
    (typeof value.priority !== 'number' || !Number.isFinite(value.priority))
  ) {
    errors.push(shapeError('priority', 'must be a finite number when present'));
  }
  if (!isRecord(value.scope)) {
    errors.push(shapeError('scope', 'must be an object'));
  } else {
    checkNonEmptyString(value.scope.tenantId, 'scope.tenantId', errors);
    checkNonEmptyString(value.scope.role, 'scope.role', errors, true);
    checkNonEmptyString(value.scope.device, 'scope.device', errors, true);
  }
  if (!Array.isArray(value.operations)) {
    errors.push(shapeError('operations', 'must be an array'));
  } else {
    value.operations.forEach((op, i) => checkOperation(op, `operations[${i}]`, errors));
  }
  return { valid: errors.length === 0, errors };
}

function checkOperation(op: unknown, path: string, errors: WorkflowValidationError[]): void {
  if (!isRecord(op)) {
    errors.push(shapeError(path, 'must be an object'));
    return;
  }
  const type = op.type;
  if (typeof type !== 'string' || !(ANCHORED.has(type) || type === 'addTransition')) {
    errors.push(shapeError(`${path}.type`, `unknown operation type ${JSON.stringify(type)}`));
    return;
  }
  if (ANCHORED.has(type)) checkNonEmptyString(op.anchor, `${path}.anchor`, errors);
  if (WITH_STEP.has(type)) checkStep(op.step, `${path}.step`, errors, true);
  if (type === 'setLabel') checkNonEmptyString(op.label, `${path}.label`, errors);
  if (type === 'addTransition') {
    checkNonEmptyString(op.from, `${path}.from`, errors);
    checkNonEmptyString(op.to, `${path}.to`, errors);
    checkNonEmptyString(op.on, `${path}.on`, errors, true);
  }
}
