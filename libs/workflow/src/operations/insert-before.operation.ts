import type { InsertBeforeOperation } from '../contracts/workflow-extension.types.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { copyStep } from '../composer/working-workflow.js';
import { change, requireFreeId, requireStep, type OperationContext } from './operation-context.js';

/**
 * predecessors → new → anchor. Every transition into the anchor (self-loops included,
 * labels kept) now enters the new step, and a start anchor hands the start to it.
 */
export function applyInsertBefore(
  wf: WorkingWorkflow,
  op: InsertBeforeOperation,
  ctx: OperationContext,
): void {
  const anchor = requireStep(wf, op.anchor, ctx);
  requireFreeId(wf, op.step.id, op.anchor, ctx);

  const step = copyStep(op.step, op.step.transitions ?? [{ to: anchor.id }]);
  // Redirect before adding the new step, or its own edge to the anchor would be redirected too.
  for (const id of wf.redirectIncoming(anchor.id, step.id)) {
    wf.record(id, change(ctx, 'rewired', `now continues to "${step.id}" instead of "${anchor.id}"`));
  }
  wf.addStep(step, anchor.id, 'before', ctx.extensionId);
  wf.record(step.id, change(ctx, 'inserted', `inserted before "${anchor.id}"`));

  if (wf.start === anchor.id) {
    wf.start = step.id;
    wf.record(step.id, change(ctx, 'became-start', `takes over as start from "${anchor.id}"`));
  }
}
