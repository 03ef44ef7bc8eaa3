import type { InsertAfterOperation } from '../contracts/workflow-extension.types.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { copyStep } from '../composer/working-workflow.js';
import { change, requireFreeId, requireStep, type OperationContext } from './operation-context.js';

/**
 * anchor → new → anchor's old targets. The new step takes over the anchor's outgoing
 * transitions (labels included) unless it declares its own; a terminal anchor hands its
 * terminal role to the new step, since the flow now ends after it.
 */
export function applyInsertAfter(wf: WorkingWorkflow, op: InsertAfterOperation, ctx: OperationContext): void {
  const anchor = requireStep(wf, op.anchor, ctx);
  requireFreeId(wf, op.step.id, op.anchor, ctx);

  const step = copyStep(op.step, op.step.transitions ?? anchor.transitions);
  anchor.transitions = [{ to: step.id }];
  wf.addStep(step, anchor.id, 'after', ctx.extensionId);
  wf.record(step.id, change(ctx, 'inserted', `inserted after "${anchor.id}"`));
  wf.record(anchor.id, change(ctx, 'rewired', `now continues to "${step.id}"`));

  const t = wf.terminal.indexOf(anchor.id);
  if (t >= 0) {
    wf.terminal[t] = step.id;
    wf.record(step.id, change(ctx, 'became-terminal', `takes over as terminal from "${anchor.id}"`));
  }
}
