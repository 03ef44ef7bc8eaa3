import type { WorkflowValidationError } from '../contracts/validation.types.js';
import type { WorkflowTransition } from '../contracts/workflow-spec.types.js';

export interface GraphStep {
  readonly id: string;
  readonly transitions: readonly WorkflowTransition[];
}

/* Separate from the shape check so the composer can re-check its working graph after
 * every extension without rebuilding a spec object. It runs once per extension on every
 * compose, hence integer indices and arrays instead of per-step sets and closures. */
export function validateWorkflowGraph(
  start: string,
  steps: readonly GraphStep[],
  terminal: readonly string[],
): WorkflowValidationError[] {
  const errors: WorkflowValidationError[] = [];
  const n = steps.length;
  const index = new Map<string, number>();
  // A duplicate keeps the first definition; `live` marks the steps the graph is built from.
  const live: boolean[] = new Array(n).fill(false);
  for (let i = 0; i < n; i++) {
    const id = steps[i]!.id;
    if (index.has(id)) {
      errors.push({
        code: 'duplicate_step_id',
        stepId: id,
        message: `step "${id}" is defined more than once`,
      });
    } else {
      index.set(id, i);
      live[i] = true;
    }
  }

  const startIndex = index.get(start);
  if (startIndex === undefined) {
    errors.push({ code: 'unknown_start', stepId: start, message: `start step "${start}" does not exist` });
  }

  const isTerminal: boolean[] = new Array(n).fill(false);
  const terminalIndices: number[] = [];
  if (terminal.length === 0)
    errors.push({ code: 'no_terminal', message: 'the workflow has no terminal step' });
  for (const id of terminal) {
    const i = index.get(id);
    if (i === undefined) {
      errors.push({ code: 'unknown_terminal', stepId: id, message: `terminal step "${id}" does not exist` });
    } else if (isTerminal[i]) {
      errors.push({
        code: 'duplicate_terminal',
        stepId: id,
        message: `terminal step "${id}" is listed twice`,
      });
    } else {
      isTerminal[i] = true;
      terminalIndices.push(i);
    }
  }

  // Forward edges in compressed rows: the targets of step i are out[outStart[i] .. outStart[i + 1]).
  // Flat number arrays instead of one array per step: allocation dominates at these sizes.
  const out: number[] = [];
  const outStart: number[] = new Array(n + 1);
  const inDegree: number[] = new Array(n).fill(0);
  for (let i = 0; i < n; i++) {
    outStart[i] = out.length;
    if (!live[i]) continue;
    const step = steps[i]!;
    const ts = step.transitions;
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k]!;
      const target = index.get(t.to);
      if (target === undefined) {
        errors.push({
          code: 'unknown_transition_target',
          stepId: step.id,
          target: t.to,
          message: `step "${step.id}" has a transition to unknown step "${t.to}"`,
        });
        continue;
      }
      // Steps have a handful of transitions, so a backwards scan beats building a set.
      for (let j = 0; j < k; j++) {
        if (ts[j]!.to === t.to && ts[j]!.on === t.on) {
          errors.push({
            code: 'duplicate_transition',
            stepId: step.id,
            target: t.to,
            message: `step "${step.id}" has the transition to "${t.to}"${t.on ? ` on "${t.on}"` : ''} twice`,
          });
          break;
        }
      }
      out.push(target);
      inDegree[target]!++;
    }
  }
  outStart[n] = out.length;

  // Reachability is skipped when its root is missing: every step would be flagged,
  // burying the one real error under noise.
  if (startIndex !== undefined) {
    const reached = reach([startIndex], n, outStart, out);
    for (let i = 0; i < n; i++) {
      if (live[i] && !reached[i]) {
        const id = steps[i]!.id;
        errors.push({
          code: 'unreachable_step',
          stepId: id,
          message: `step "${id}" cannot be reached from "${start}"`,
        });
      }
    }
  }
  if (terminalIndices.length > 0) {
    const [inStart, inc] = reverse(n, outStart, out, inDegree);
    const canFinish = reach(terminalIndices, n, inStart, inc);
    for (let i = 0; i < n; i++) {
      if (live[i] && !canFinish[i]) {
        const id = steps[i]!.id;
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

/** Marks every node reachable from `roots` in the compressed rows (start, targets). */
function reach(
  roots: readonly number[],
  n: number,
  start: readonly number[],
  targets: readonly number[],
): boolean[] {
  const seen: boolean[] = new Array(n).fill(false);
  const stack: number[] = [];
  for (const r of roots) {
    if (!seen[r]) {
      seen[r] = true;
      stack.push(r);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (let e = start[node]!; e < start[node + 1]!; e++) {
      const next = targets[e]!;
      if (!seen[next]) {
        seen[next] = true;
        stack.push(next);
      }
    }
  }
  return seen;
}

/** The same edges reversed, as compressed rows. */
function reverse(
  n: number,
  outStart: readonly number[],
  out: readonly number[],
  inDegree: readonly number[],
): [number[], number[]] {
  const inStart: number[] = new Array(n + 1);
  inStart[0] = 0;
  for (let i = 0; i < n; i++) inStart[i + 1] = inStart[i]! + inDegree[i]!;
  const fill = inStart.slice(0, n);
  const inc: number[] = new Array(out.length);
  for (let i = 0; i < n; i++) {
    for (let e = outStart[i]!; e < outStart[i + 1]!; e++) inc[fill[out[e]!]!++] = i;
  }
  return [inStart, inc];
}
