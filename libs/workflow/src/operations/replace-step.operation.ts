import type { ReplaceStepOperation } from '../contracts/workflow-extension.types.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { copyStep, transition } from '../composer/working-workflow.js';
import { change, requireFreeId, requireStep, type OperationContext } from './operation-context.js';

/**
 * The new step takes the anchor's place: its incoming transitions, its start/terminal
 * membership and, unless it declares its own, its outgoing transitions (a self-loop
 * stays a self-loop). With the same id this is an in-place edit and history is kept.
 */
export function applyReplaceStep(wf: WorkingWorkflow, op: ReplaceStepOperation, ctx: OperationContext): void {
  const anchor = requireStep(wf, op.anchor, ctx);
  const newId = op.step.id;
  const renamed = newId !== anchor.id;
  if (renamed) requireFreeId(wf, newId, op.anchor, ctx);

  const inherited = anchor.transitions.map((t) => transition(t.to === anchor.id ? newId : t.to, t.on));
  const step = copyStep(op.step, op.step.transitions ?? inherited);
  wf.swapStep(anchor.id, step, ctx.extensionId);

  if (renamed) {
    for (const id of wf.redirectIncoming(anchor.id, newId)) {
      if (id !== newId)
        wf.record(id, change(ctx, 'rewired', `now continues to "${newId}" instead of "${anchor.id}"`));
    }
    if (wf.start === anchor.id) wf.start = newId;
    const t = wf.terminal.indexOf(anchor.id);
    if (t >= 0) wf.terminal[t] = newId;
    wf.removed.push({
      stepId: anchor.id,
      extensionId: ctx.extensionId,
      operation: 'replaceStep',
      replacedBy: newId,
    });
  }
  wf.record(newId, change(ctx, 'replaced', `replaces "${anchor.id}"`));
}
