import type { CompatibilityIssue } from '../contracts/compatibility.types.js';
import type { WorkflowValidationError } from '../contracts/validation.types.js';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import type { WorkflowCompositionError } from '../composer/workflow-composition.error.js';
import type { ErrorDetail } from '@lssm/nest-common';

/** The shared detail shape `{ path, code, message }`, plus what names a workflow culprit. */
export interface WorkflowErrorDetail extends ErrorDetail {
  readonly extensionId?: string;
  readonly anchor?: string;
  readonly operationIndex?: number;
  readonly stepId?: string;
}

/**
 * Graph errors name a step rather than a path; point at that step (or at start/terminal) so
 * every detail has a path into the spec that was sent or stored.
 */
export function validationDetail(
  error: WorkflowValidationError,
  spec?: Pick<WorkflowSpec, 'steps' | 'terminal'>,
  prefix = '',
): WorkflowErrorDetail {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  return {
    path: at(error.path ?? graphPath(error, spec)),
    code: error.code,
    message: error.message,
    ...(error.stepId !== undefined && { stepId: error.stepId }),
  };
}

function graphPath(error: WorkflowValidationError, spec?: Pick<WorkflowSpec, 'steps' | 'terminal'>): string {
  switch (error.code) {
    case 'unknown_start':
      return 'start';
    case 'no_terminal':
      return 'terminal';
    case 'unknown_terminal':
    case 'duplicate_terminal': {
      const i = spec?.terminal.lastIndexOf(error.stepId ?? '') ?? -1;
      return i >= 0 ? `terminal[${i}]` : 'terminal';
    }
    default: {
      if (error.stepId === undefined) return 'steps';
      // The last occurrence, so a duplicate id points at the second step rather than the first.
      const i = spec ? spec.steps.map((s) => s.id).lastIndexOf(error.stepId) : -1;
      const step = i >= 0 ? `steps[${i}]` : 'steps';
      return error.code === 'unknown_transition_target' || error.code === 'duplicate_transition'
        ? `${step}.transitions`
        : step;
    }
  }
}

/** Where a stored or sent extension's operation sits in an error report. */
export const operationPath = (extensionPrefix: string, operationIndex?: number): string => {
  const ops = extensionPrefix ? `${extensionPrefix}.operations` : 'operations';
  return operationIndex === undefined ? extensionPrefix || 'operations' : `${ops}[${operationIndex}]`;
};

export const storedExtensionPrefix = (extensionId: string): string => `extensions.${extensionId}`;

/**
 * A failed composition as details: the failure itself, naming extension, anchor and operation,
 * then the validation errors of an invalid result (each naming its step).
 */
export function compositionDetails(error: WorkflowCompositionError): WorkflowErrorDetail[] {
  const prefix = error.extensionId === undefined ? '' : storedExtensionPrefix(error.extensionId);
  const head: WorkflowErrorDetail = {
    path: prefix ? operationPath(prefix, error.operationIndex) : error.code === 'invalid_base' ? 'base' : '',
    code: error.code,
    message: error.message,
    ...(error.extensionId !== undefined && { extensionId: error.extensionId }),
    ...(error.anchor !== undefined && { anchor: error.anchor }),
    ...(error.operationIndex !== undefined && { operationIndex: error.operationIndex }),
    ...(error.stepId !== undefined && { stepId: error.stepId }),
  };
  const nested = error.errors.map((e) => ({
    ...validationDetail(e, undefined, error.code === 'invalid_base' ? 'base' : 'result'),
    ...(error.extensionId !== undefined && { extensionId: error.extensionId }),
  }));
  return [head, ...nested];
}

/** A compatibility issue of one extension as a detail; `prefix` locates the extension. */
export function issueDetail(
  extensionId: string,
  issue: CompatibilityIssue,
  prefix: string,
): WorkflowErrorDetail {
  return {
    path: operationPath(prefix, issue.operationIndex),
    code: issue.code,
    message: issue.message,
    extensionId,
    ...(issue.anchor !== undefined && { anchor: issue.anchor }),
    ...(issue.operationIndex !== undefined && { operationIndex: issue.operationIndex }),
  };
}
