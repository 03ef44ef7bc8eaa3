import type {
  ExtensionScope,
  WorkflowExtension,
  WorkflowOperation,
} from '../contracts/workflow-extension.types.js';
import type { WorkflowSpec, WorkflowStep, WorkflowTransition } from '../contracts/workflow-spec.types.js';

/* Builders for specs: compact to write, and `edges` prints a graph compactly so an
 * assertion failure shows exactly which transition is wrong. */

export function step(id: string, ...targets: Array<string | WorkflowTransition>): WorkflowStep {
  return {
    id,
    type: 'task',
    label: id,
    transitions: targets.map((t) => (typeof t === 'string' ? { to: t } : t)),
  };
}

export function workflow(
  start: string,
  terminal: string[],
  steps: WorkflowStep[],
  meta: { id?: string; version?: number } = {},
): WorkflowSpec {
  return { id: meta.id ?? 'order', version: meta.version ?? 1, start, steps, terminal };
}

/** draft → submit → review ─approve→ done; review ─reject→ rejected. */
export function reviewFlow(version = 1): WorkflowSpec {
  return workflow(
    'draft',
    ['done', 'rejected'],
    [
      step('draft', 'submit'),
      step('submit', 'review'),
      step('review', { to: 'done', on: 'approve' }, { to: 'rejected', on: 'reject' }),
      step('done'),
      step('rejected'),
    ],
    { version },
  );
}

/** A straight line s1 → s2 → … → sN, terminal sN. */
export function linearFlow(n: number, version = 1): WorkflowSpec {
  const ids = Array.from({ length: n }, (_, i) => `s${i + 1}`);
  return workflow(
    ids[0]!,
    [ids[n - 1]!],
    ids.map((id, i) => (i < n - 1 ? step(id, ids[i + 1]!) : step(id))),
    { version },
  );
}

export function extension(
  extensionId: string,
  operations: WorkflowOperation[],
  scope: Partial<ExtensionScope> = {},
  extra: Partial<WorkflowExtension> = {},
): WorkflowExtension {
  return {
    extensionId,
    workflowId: 'order',
    scope: { tenantId: 't1', ...scope },
    operations,
    ...extra,
  };
}

export function task(id: string): { id: string; type: string; label: string } {
  return { id, type: 'task', label: id };
}

/** `{ review: ['done(approve)', 'rejected(reject)'] }` — transitions in order, labels in brackets. */
export function edges(spec: WorkflowSpec): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of spec.steps)
    out[s.id] = s.transitions.map((t) => (t.on === undefined ? t.to : `${t.to}(${t.on})`));
  return out;
}

/** The error `fn` throws; fails the test when it does not throw. */
export function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Freezes a value deeply so a test fails loudly if code under test writes to it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
