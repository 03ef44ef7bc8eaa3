import type { RemoveStepOperation } from '../contracts/workflow-extension.types.js';
import { WorkflowCompositionError } from '../composer/workflow-composition.error.js';
import type { WorkingWorkflow } from '../composer/working-workflow.js';
import { transition } from '../composer/working-workflow.js';
import type { WorkflowTransition } from '../contracts/workflow-spec.types.js';
import { change, requireStep, type OperationContext } from './operation-context.js';

/**
 * Joins every predecessor to every successor. The joined edge keeps the predecessor
 * edge's `on`, falling back to the successor edge's `on` so a removed decision step does
 * not erase its outcome names; identical (to, on) edges are merged. The removed step's
 * own self-loops are dropped.
 *
 * Start: the single distinct successor becomes the start; none or several is
 * `ambiguous_start`. Terminal: the step leaves `terminal`, and predecessors left with no
 * outgoing transition take its place there (they are now where the flow ends).
 */
export function applyRemoveStep(wf: WorkingWorkflow, op: RemoveStepOperation, ctx: OperationContext): void {
  const anchor = requireStep(wf, op.anchor, ctx);
  const successors = anchor.transitions.filter((t) => t.to !== anchor.id);
  const isStart = wf.start === anchor.id;

  let newStart: string | undefined;
  if (isStart) {
    const targets = [...new Set(successors.map((t) => t.to))];
    if (targets.length !== 1) {
      throw new WorkflowCompositionError(
        'ambiguous_start',
        `extension "${ctx.extensionId}": removing start step "${anchor.id}" leaves ${targets.length === 0 ? 'no' : `${targets.length}`} candidate start steps (${targets.join(', ') || 'none'})`,
        {
          extensionId: ctx.extensionId,
          anchor: anchor.id,
          operation: ctx.operation,
          operationIndex: ctx.operationIndex,
        },
      );
    }
    newStart = targets[0];
  }

  const terminalAt = wf.terminal.indexOf(anchor.id);
  const promoted: string[] = [];
  wf.deleteStep(anchor.id);
  wf.removed.push({ stepId: anchor.id, extensionId: ctx.extensionId, operation: 'removeStep' });

  for (const step of wf.stepsInOrder()) {
    if (!step.transitions.some((t) => t.to === anchor.id)) continue;
    const joined: WorkflowTransition[] = [];
    const seen = new Set<string>();
    const push = (t: WorkflowTransition): void => {
      const key = `${t.to}\u0000${t.on ?? ''}`;
      if (!seen.has(key)) {
        seen.add(key);
        joined.push(t);
      }
    };
    for (const t of step.transitions) {
      if (t.to !== anchor.id) push(t);
      else for (const s of successors) push(transition(s.to, t.on ?? s.on));
    }
    step.transitions = joined;
    const targets = successors.map((s) => `"${s.to}"`).join(', ') || 'nothing';
    wf.record(step.id, change(ctx, 'rewired', `joined past removed "${anchor.id}" to ${targets}`));
    if (terminalAt >= 0 && joined.length === 0 && !wf.isTerminal(step.id)) promoted.push(step.id);
  }

  if (terminalAt >= 0) {
    wf.terminal.splice(terminalAt, 1, ...promoted);
    for (const id of promoted) {
      wf.record(id, change(ctx, 'became-terminal', `takes over as terminal from removed "${anchor.id}"`));
    }
  }
  if (newStart !== undefined) {
    wf.start = newStart;
    wf.record(newStart, change(ctx, 'became-start', `takes over as start from removed "${anchor.id}"`));
  }
}
