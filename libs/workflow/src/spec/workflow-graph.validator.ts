import type { WorkflowValidationError } from '../contracts/validation.types.js';
import type { WorkflowTransition } from '../contracts/workflow-spec.types.js';

export interface GraphStep {
  readonly id: string;
  readonly transitions: readonly WorkflowTransition[];
}

/* Separate from the shape check so the composer can re-check its working graph after
 * every extension without rebuilding a spec object first (that runs on every compose). */
export function validateWorkflowGraph(
  start: string,
  steps: readonly GraphStep[],
  terminal: readonly string[],
): WorkflowValidationError[] {
  const errors: WorkflowValidationError[] = [];
  const byId = new Map<string, GraphStep>();
  for (const step of steps) {
    if (byId.has(step.id)) {
      errors.push({
        code: 'duplicate_step_id',
        stepId: step.id,
        message: `step "${step.id}" is defined more than once`,
      });
    } else {
      byId.set(step.id, step);
    }
  }

  const startKnown = byId.has(start);
  if (!startKnown) {
    errors.push({ code: 'unknown_start', stepId: start, message: `start step "${start}" does not exist` });
  }

  const terminals = new Set<string>();
  if (terminal.length === 0) {
    errors.push({ code: 'no_terminal', message: 'the workflow has no terminal step' });
  }
  for (const id of terminal) {
    if (!byId.has(id)) {
      errors.push({ code: 'unknown_terminal', stepId: id, message: `terminal step "${id}" does not exist` });
    } else if (terminals.has(id)) {
      errors.push({
        code: 'duplicate_terminal',
        stepId: id,
        message: `terminal step "${id}" is listed twice`,
      });
    } else {
      terminals.add(id);
    }
  }

  const incoming = new Map<string, string[]>();
  for (const step of byId.values()) {
    const seen = new Set<string>();
    for (const t of step.transitions) {
      if (!byId.has(t.to)) {
        errors.push({
          code: 'unknown_transition_target',
          stepId: step.id,
          target: t.to,
          message: `step "${step.id}" has a transition to unknown step "${t.to}"`,
        });
        continue;
      }
      const key = `${t.to}\u0000${t.on ?? ''}`;
      if (seen.has(key)) {
        errors.push({
          code: 'duplicate_transition',
          stepId: step.id,
          target: t.to,
          message: `step "${step.id}" has the transition to "${t.to}"${t.on ? ` on "${t.on}"` : ''} twice`,
        });
      }
      seen.add(key);
      const sources = incoming.get(t.to);
      if (sources) sources.push(step.id);
      else incoming.set(t.to, [step.id]);
    }
  }

  // Reachability checks are skipped when their root is missing: every step would be flagged,
  // burying the one real error under noise.
  if (startKnown) {
    const reached = walk([start], (id) =>
      byId
        .get(id)!
        .transitions.map((t) => t.to)
        .filter((to) => byId.has(to)),
    );
    for (const id of byId.keys()) {
      if (!reached.has(id)) {
        errors.push({
          code: 'unreachable_step',
          stepId: id,
          message: `step "${id}" cannot be reached from "${start}"`,
        });
      }
    }
  }
  if (terminals.size > 0) {
    const canFinish = walk([...terminals], (id) => incoming.get(id) ?? []);
    for (const id of byId.keys()) {
      if (!canFinish.has(id)) {
        errors.push({
          code: 'no_path_to_terminal',
          stepId: id,
          message: `no terminal step can be reached from step "${id}"`,
        });
      }
    }
  }
  return errors;
}

function walk(roots: readonly string[], next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>(roots);
  const queue = [...roots];
  while (queue.length > 0) {
    for (const to of next(queue.pop()!)) {
      if (!seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}
