import type { WorkflowValidationResult } from '../contracts/validation.types.js';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { validateWorkflowGraph } from './workflow-graph.validator.js';
import { validateWorkflowShape } from './workflow-shape.validator.js';

/**
 * Shape first, then graph rules: unique ids, known targets, start exists, every step
 * reachable from start, a terminal reachable from every step. Graph rules are not run
 * on a malformed value because their messages would be about the wrong problem.
 */
export function validateWorkflow(spec: WorkflowSpec | unknown): WorkflowValidationResult {
  const shape = validateWorkflowShape(spec);
  if (!shape.valid) return shape;
  const s = spec as WorkflowSpec;
  const errors = validateWorkflowGraph(s.start, s.steps, s.terminal);
  return { valid: errors.length === 0, errors };
}
