import type { SetLabelOperation } from '../contracts/workflow-extension.types.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { change, requireStep, type OperationContext } from './operation-context.js';

export function applySetLabel(wf: WorkingWorkflow, op: SetLabelOperation, ctx: OperationContext): void {
  const step = requireStep(wf, op.anchor, ctx);
  const before = step.label;
  step.label = op.label;
  wf.record(step.id, change(ctx, 'relabelled', `"${before}" → "${op.label}"`));
}
