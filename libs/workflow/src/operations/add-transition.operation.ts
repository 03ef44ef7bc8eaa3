import type { AddTransitionOperation } from '../contracts/workflow-extension.types.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { transition } from '../composer/working-workflow.js';
import { change, requireStep, type OperationContext } from './operation-context.js';

/** Idempotent: an identical (to, on) edge already present is left alone and not recorded. */
export function applyAddTransition(
  wf: WorkingWorkflow,
  op: AddTransitionOperation,
  ctx: OperationContext,
): void {
  const from = requireStep(wf, op.from, ctx);
  requireStep(wf, op.to, ctx);
  if (from.transitions.some((t) => t.to === op.to && t.on === op.on)) return;
  from.transitions.push(transition(op.to, op.on));
  wf.record(
    from.id,
    change(ctx, 'transition-added', `to "${op.to}"${op.on !== undefined ? ` on "${op.on}"` : ''}`),
  );
}
