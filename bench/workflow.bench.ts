/*
 * Workflow composition: a 30-step base (with a branching review and a rework loop)
 * composed with 5 extensions across all four specificities (tenant, role, device,
 * role+device), as a request for a tenant's manager on mobile would. Baselines measured
 * in the same run: validateWorkflow(base) alone, which compose runs once for the base and
 * once per extension, and a structuredClone of the base, the cheapest way to copy it.
 */
import {
  approval,
  notification,
  tenantReview,
  validateWorkflow,
  WorkflowComposer,
  type CompositionContext,
  type WorkflowExtension,
  type WorkflowSpec,
  type WorkflowStep,
} from '@lssm/workflow';

const STEPS = 30;
const ROUNDS = 7;
const ITERATIONS = 20_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median ns/op over ROUNDS rounds of `iterations` calls, after a warm-up. */
function measure(iterations: number, fn: () => unknown): number {
  let sink: unknown;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink = fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sink = fn();
    rounds.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  if (sink === undefined) throw new Error('nothing was computed');
  return median(rounds);
}

const id = (i: number) => `s${String(i).padStart(2, '0')}`;

/** s01 → … → s30, with s15 a review that approves onwards or sends back to s14 for rework. */
function buildBase(): WorkflowSpec {
  const steps: WorkflowStep[] = [];
  for (let i = 1; i <= STEPS; i++) {
    const transitions =
      i === STEPS
        ? []
        : i === 15
          ? [
              { to: id(16), on: 'approve' },
              { to: id(14), on: 'rework' },
            ]
          : [{ to: id(i + 1) }];
    steps.push({ id: id(i), type: i === 15 ? 'review' : 'task', label: `Step ${i}`, transitions });
  }
  return { id: 'order', version: 3, start: id(1), steps, terminal: [id(STEPS)] };
}

const scope = (extra: Partial<WorkflowExtension['scope']> = {}) => ({ tenantId: 'acme', ...extra });
const extensions: WorkflowExtension[] = [
  {
    extensionId: 'acme-review',
    workflowId: 'order',
    baseVersion: 3,
    scope: scope(),
    operations: tenantReview({ after: id(3), rejectTo: id(2) }),
  },
  {
    extensionId: 'acme-approval',
    workflowId: 'order',
    scope: scope(),
    priority: 10,
    operations: approval({
      before: id(10),
      levels: [
        { approverRole: 'manager' },
        { approverRole: 'director', minAmount: 10_000 },
        { approverRole: 'cfo', minAmount: 50_000 },
      ],
      rejectTo: id(2),
    }),
  },
  {
    extensionId: 'acme-managers',
    workflowId: 'order',
    scope: scope({ role: 'manager' }),
    operations: [
      { type: 'setLabel', anchor: id(20), label: 'Manager sign-off' },
      { type: 'removeStep', anchor: id(25) },
    ],
  },
  {
    extensionId: 'acme-mobile',
    workflowId: 'order',
    scope: scope({ device: 'mobile' }),
    operations: notification({ after: id(STEPS), id: 'push-done', channel: 'push', template: 'order-done' }),
  },
  {
    extensionId: 'acme-managers-mobile',
    workflowId: 'order',
    scope: scope({ role: 'manager', device: 'mobile' }),
    operations: [
      {
        type: 'insertBefore',
        anchor: id(20),
        step: { id: 'mobile-confirm', type: 'task', label: 'Confirm on phone' },
      },
      { type: 'addTransition', from: 'mobile-confirm', to: id(14), on: 'back' },
    ],
  },
];
const context: CompositionContext = { tenantId: 'acme', role: 'manager', device: 'mobile' };

const base = buildBase();
const composer = new WorkflowComposer();
const check = composer.compose(base, extensions, context);
if (check.applied.length !== 5 || !validateWorkflow(check.workflow).valid) {
  throw new Error('benchmark setup is wrong: expected 5 applied extensions and a valid result');
}

const composeNs = measure(ITERATIONS, () => composer.compose(base, extensions, context));
const validateNs = measure(ITERATIONS, () => validateWorkflow(base));
const cloneNs = measure(ITERATIONS, () => structuredClone(base));

const us = (ns: number) => (ns / 1000).toFixed(2);
const opsPerSec = (ns: number) => Math.round(1e9 / ns).toLocaleString('en-US');
const rows: Array<[string, number]> = [
  [`compose (${STEPS}-step base, 5 extensions)`, composeNs],
  ['baseline: validateWorkflow(base)', validateNs],
  ['baseline: structuredClone(base)', cloneNs],
];

console.log(`node ${process.version}, ${ROUNDS} rounds x ${ITERATIONS} iterations, median round`);
console.log(
  `result: ${check.workflow.steps.length} steps (${check.applied.map((a) => a.extensionId).join(', ')})`,
);
for (const [label, ns] of rows) {
  console.log(`${label.padEnd(46)} ${us(ns).padStart(8)} µs/op ${opsPerSec(ns).padStart(12)} ops/s`);
}
console.log(`ratio compose / validateWorkflow: ${(composeNs / validateNs).toFixed(1)}x`);
console.log(`ratio compose / structuredClone:  ${(composeNs / cloneNs).toFixed(1)}x`);
console.log(`target < 50 µs/op: ${composeNs / 1000 < 50 ? 'met' : 'MISSED'}`);
