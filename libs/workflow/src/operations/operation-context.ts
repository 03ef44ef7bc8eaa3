import type { StepChange, StepChangeKind } from '../contracts/composition.types.js';
import type { WorkflowOperationType } from '../contracts/workflow-extension.types.js';
import { WorkflowCompositionError } from '../composer/workflow-composition.error.js';
import type { MutableStep, WorkingWorkflow } from '../composer/working-workflow.js';

export interface OperationContext {
  readonly extensionId: string;
  readonly operation: WorkflowOperationType;
  readonly operationIndex: number;
}

/* Operations check everything before they change anything: the compatibility checker
 * keeps going after a failed operation and must not see a half-applied one. */

export function requireStep(wf: WorkingWorkflow, anchor: string, ctx: OperationContext): MutableStep {
  const step = wf.get(anchor);
  if (!step) {
    throw new WorkflowCompositionError(
      'missing_anchor',
      `extension "${ctx.extensionId}": ${ctx.operation} (operation ${ctx.operationIndex}) refers to step "${anchor}", which does not exist`,
      { extensionId: ctx.extensionId, anchor, operation: ctx.operation, operationIndex: ctx.operationIndex },
    );
  }
  return step;
}

export function requireFreeId(
  wf: WorkingWorkflow,
  stepId: string,
  anchor: string,
  ctx: OperationContext,
): void {
  if (wf.has(stepId)) {
    throw new WorkflowCompositionError(
      'duplicate_step',
      `extension "${ctx.extensionId}": ${ctx.operation} (operation ${ctx.operationIndex}) adds step "${stepId}", which already exists`,
      {
        extensionId: ctx.extensionId,
        anchor,
        stepId,
        operation: ctx.operation,
        operationIndex: ctx.operationIndex,
      },
    );
  }
}

export function change(ctx: OperationContext, kind: StepChangeKind, detail: string): StepChange {
  return {
    extensionId: ctx.extensionId,
    operation: ctx.operation,
    operationIndex: ctx.operationIndex,
    kind,
    detail,
  };
}
