import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { applyOperation } from '../operations/operation.dispatcher.js';
import { validateWorkflowGraph } from '../spec/workflow-graph.validator.js';
import { WorkflowCompositionError } from './workflow-composition.error.js';
import type { WorkingWorkflow } from './working-workflow.js';

/**
 * Applies one extension's operations in order, then checks the graph. The check runs per
 * extension, not per operation (an extension may pass through an invalid state, e.g.
 * insert a step and then give it a transition) and not only at the end (so the error
 * names the extension that broke the workflow).
 *
 * With `collect`, failed operations are recorded and skipped instead of thrown, so a
 * report can list every broken anchor of an extension. The result check is then only
 * run when every operation applied: otherwise its errors are echoes of the skipped ones.
 */
export function applyExtension(
  wf: WorkingWorkflow,
  ext: WorkflowExtension,
  collect?: WorkflowCompositionError[],
): void {
  const failedBefore = collect?.length ?? 0;
  ext.operations.forEach((op, operationIndex) => {
    try {
      applyOperation(wf, op, { extensionId: ext.extensionId, operationIndex });
    } catch (error) {
      if (!collect || !(error instanceof WorkflowCompositionError)) throw error;
      collect.push(error);
    }
  });
  if (collect && collect.length > failedBefore) return;

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
}
