import type { CompositionErrorCode } from '../contracts/composition.types.js';
import type { WorkflowValidationError } from '../contracts/validation.types.js';
import type { WorkflowOperationType } from '../contracts/workflow-extension.types.js';

export interface WorkflowCompositionErrorDetails {
  readonly extensionId?: string;
  readonly anchor?: string;
  readonly operation?: WorkflowOperationType;
  readonly operationIndex?: number;
  readonly stepId?: string;
  readonly errors?: readonly WorkflowValidationError[];
}

/** Every composition failure is one of these, so callers can branch on `code` and name the culprit. */
export class WorkflowCompositionError extends Error {
  override readonly name = 'WorkflowCompositionError';
  readonly extensionId?: string;
  readonly anchor?: string;
  readonly operation?: WorkflowOperationType;
  readonly operationIndex?: number;
  readonly stepId?: string;
  readonly errors: readonly WorkflowValidationError[];

  constructor(
    readonly code: CompositionErrorCode,
    message: string,
    details: WorkflowCompositionErrorDetails = {},
  ) {
    super(message);
    this.extensionId = details.extensionId;
    this.anchor = details.anchor;
    this.operation = details.operation;
    this.operationIndex = details.operationIndex;
    this.stepId = details.stepId;
    this.errors = details.errors ?? [];
  }
}
