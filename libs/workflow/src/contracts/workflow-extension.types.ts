import type { WorkflowStep, WorkflowTransition } from './workflow-spec.types.js';

/** Who an extension is for. Unset role/device means "any". */
export interface ExtensionScope {
  readonly tenantId: string;
  readonly role?: string;
  readonly device?: string;
}

/** A step carried by an extension; without `transitions` the composer wires it in. */
export type WorkflowStepInput = Omit<WorkflowStep, 'transitions'> & {
  readonly transitions?: readonly WorkflowTransition[];
};

export interface InsertBeforeOperation {
  readonly type: 'insertBefore';
  readonly anchor: string;
  readonly step: WorkflowStepInput;
}

export interface InsertAfterOperation {
  readonly type: 'insertAfter';
  readonly anchor: string;
  readonly step: WorkflowStepInput;
}

export interface ReplaceStepOperation {
  readonly type: 'replaceStep';
  readonly anchor: string;
  readonly step: WorkflowStepInput;
}

export interface RemoveStepOperation {
  readonly type: 'removeStep';
  readonly anchor: string;
}

export interface AddTransitionOperation {
  readonly type: 'addTransition';
  readonly from: string;
  readonly to: string;
  readonly on?: string;
}

export interface SetLabelOperation {
  readonly type: 'setLabel';
  readonly anchor: string;
  readonly label: string;
}

export type WorkflowOperation =
  | InsertBeforeOperation
  | InsertAfterOperation
  | ReplaceStepOperation
  | RemoveStepOperation
  | AddTransitionOperation
  | SetLabelOperation;

export type WorkflowOperationType = WorkflowOperation['type'];

export interface WorkflowExtension {
  readonly extensionId: string;
  readonly workflowId: string;
  /** When set, the extension only fits this base version (see the composer's `versionMismatch`). */
  readonly baseVersion?: number;
  readonly scope: ExtensionScope;
  /** Ascending: lower priorities are applied first, so higher ones land closer to their anchor. Default 0. */
  readonly priority?: number;
  readonly description?: string;
  readonly operations: readonly WorkflowOperation[];
}
