import type { WorkflowExtension, WorkflowOperation } from '../contracts/workflow-extension.types.js';
import { applyOperation } from '../operations/operation.dispatcher.js';
import { validateWorkflowGraph } from '../spec/workflow-graph.validator.js';
import { WorkflowCompositionError } from './workflow-composition.error.js';
import type { WorkingWorkflow } from './working-workflow.js';

export interface ApplyOptions {
  /** Record failed operations and skip them instead of throwing (compatibility reports). */
  readonly collect?: WorkflowCompositionError[];
  /** Skip the result check when every operation provably keeps a valid graph valid (see `keepsValidity`). */
  readonly trustSafeOperations?: boolean;
}

/**
 * Applies one extension's operations in order, then checks the graph. The check runs per
 * extension, not per operation (an extension may pass through an invalid state, e.g.
 * insert a step and then give it a transition) and not only at the end (so the error
 * names the extension that broke the workflow).
 *
 * With `collect`, the result check only runs when every operation applied: otherwise
 * its errors are echoes of the skipped operations.
 *
 * Returns whether the result was checked.
 */
export function applyExtension(
  wf: WorkingWorkflow,
  ext: WorkflowExtension,
  options: ApplyOptions = {},
): boolean {
  const { collect } = options;
  const failedBefore = collect?.length ?? 0;
  let safe = options.trustSafeOperations === true;
  ext.operations.forEach((op, operationIndex) => {
    if (safe && !keepsValidity(wf, op)) safe = false;
    try {
      applyOperation(wf, op, { extensionId: ext.extensionId, operationIndex });
    } catch (error) {
      if (!collect || !(error instanceof WorkflowCompositionError)) throw error;
      collect.push(error);
    }
  });
  if (collect && collect.length > failedBefore) return false;
  if (safe) return false;

  const errors = validateWorkflowGraph(wf.start, wf.stepsInOrder(), wf.terminal);
  if (errors.length > 0) {
    const failure = new WorkflowCompositionError(
      'invalid_result',
      `extension "${ext.extensionId}" leaves workflow "${wf.id}" invalid: ${errors.map((e) => e.message).join('; ')}`,
      { extensionId: ext.extensionId, errors },
    );
    if (!collect) throw failure;
    collect.push(failure);
  }
  return true;
}

/**
 * Operations that cannot turn a valid graph invalid: relabelling; adding an edge between
 * existing steps (reachability only grows); inserting or replacing a step the composer
 * wires in (every path through the anchor is kept, the new step sits on one); removing
 * a non-terminal step (paths through it are joined past it). Declared transitions and
 * removing a terminal can cut paths, so those are always checked.
 */
function keepsValidity(wf: WorkingWorkflow, op: WorkflowOperation): boolean {
  switch (op.type) {
    case 'setLabel':
    case 'addTransition':
      return true;
    case 'insertAfter':
    case 'insertBefore':
    case 'replaceStep':
      return op.step.transitions === undefined;
    case 'removeStep':
      return !wf.isTerminal(op.anchor);
  }
}
