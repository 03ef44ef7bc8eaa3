import type { WorkflowOperation } from '../contracts/workflow-extension.types.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { applyAddTransition } from './add-transition.operation.js';
import { applyInsertAfter } from './insert-after.operation.js';
import { applyInsertBefore } from './insert-before.operation.js';
import type { OperationContext } from './operation-context.js';
import { applyRemoveStep } from './remove-step.operation.js';
import { applyReplaceStep } from './replace-step.operation.js';
import { applySetLabel } from './set-label.operation.js';

export function applyOperation(
  wf: WorkingWorkflow,
  op: WorkflowOperation,
  ctx: Omit<OperationContext, 'operation'>,
): void {
  const c: OperationContext = { ...ctx, operation: op.type };
  switch (op.type) {
    case 'insertBefore':
      return applyInsertBefore(wf, op, c);
    case 'insertAfter':
      return applyInsertAfter(wf, op, c);
    case 'replaceStep':
      return applyReplaceStep(wf, op, c);
    case 'removeStep':
      return applyRemoveStep(wf, op, c);
    case 'addTransition':
      return applyAddTransition(wf, op, c);
    case 'setLabel':
      return applySetLabel(wf, op, c);
  }
}
