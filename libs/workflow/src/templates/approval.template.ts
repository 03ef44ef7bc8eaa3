import type { ApprovalLevel, ApprovalOptions } from '../contracts/templates.types.js';
import type { WorkflowOperation } from '../contracts/workflow-extension.types.js';
import type { WorkflowTransition } from '../contracts/workflow-spec.types.js';
import { isNonEmptyString } from '../spec/shape-checks.js';
import { placeStep } from './step-placement.js';
import { WorkflowTemplateError } from './workflow-template.error.js';

/**
 * Single level (`approverRole`): one `approval` step placed like any other step.
 *
 * Multi-level (`levels`, thresholds ascending): the thresholds are real branches, so the
 * graph alone says who must approve what. A `gateway` step `<id>-approved` is placed
 * first and continues where the anchor did; the levels are then inserted before it, last
 * level first, so each insert only re-points the anchor's edge:
 *
 *   anchor → L1 ─approved:amount>=T2→ L2 ─approved:amount>=T3→ L3 ─approved→ <id>-approved → …
 *             └─approved:amount<T2──────┴─approved:amount<T3───────────────↗
 */
export function approval(options: ApprovalOptions): WorkflowOperation[] {
  const id = options.id ?? 'approval';
  const amountField = options.amountField ?? 'amount';
  const hasSingle = options.approverRole !== undefined;
  const hasLevels = options.levels !== undefined;
  if (hasSingle === hasLevels) {
    throw new WorkflowTemplateError(
      'approval',
      'give either approverRole (single level) or levels (multi-level)',
    );
  }
  const shared: Record<string, unknown> = { amountField };
  if (options.currency !== undefined) shared.currency = options.currency;

  if (hasSingle) {
    if (!isNonEmptyString(options.approverRole)) {
      throw new WorkflowTemplateError('approval', 'approverRole must be a non-empty string');
    }
    const ops: WorkflowOperation[] = [
      placeStep('approval', options, {
        id,
        type: 'approval',
        label: options.label ?? 'Approval',
        config: { ...shared, approverRole: options.approverRole, level: 1, minAmount: 0 },
      }),
    ];
    if (options.rejectTo !== undefined)
      ops.push({ type: 'addTransition', from: id, to: options.rejectTo, on: 'rejected' });
    return ops;
  }

  const levels = checkLevels(options.levels!);
  const gateway = `${id}-approved`;
  const levelId = (i: number): string => `${id}-l${i + 1}`;
  const ops: WorkflowOperation[] = [
    placeStep('approval', options, { id: gateway, type: 'gateway', label: options.label ?? 'Approved' }),
  ];
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    const next = levels[i + 1];
    const transitions: WorkflowTransition[] = next
      ? [
          { to: levelId(i + 1), on: `approved:${amountField}>=${next.minAmount}` },
          { to: gateway, on: `approved:${amountField}<${next.minAmount}` },
        ]
      : [{ to: gateway, on: 'approved' }];
    if (options.rejectTo !== undefined) transitions.push({ to: options.rejectTo, on: 'rejected' });
    ops.push({
      type: 'insertBefore',
      // Anchoring each level on the one after it keeps the edges of the levels already placed intact.
      anchor: next ? levelId(i + 1) : gateway,
      step: {
        id: levelId(i),
        type: 'approval',
        label: level.label ?? `Approval level ${i + 1} (${level.approverRole})`,
        config: { ...shared, approverRole: level.approverRole, level: i + 1, minAmount: level.minAmount },
        transitions,
      },
    });
  }
  return ops;
}

function checkLevels(levels: readonly ApprovalLevel[]): Array<ApprovalLevel & { minAmount: number }> {
  if (levels.length === 0) throw new WorkflowTemplateError('approval', 'levels must not be empty');
  let previous = -Infinity;
  return levels.map((level, i) => {
    if (!isNonEmptyString(level.approverRole)) {
      throw new WorkflowTemplateError('approval', `levels[${i}].approverRole must be a non-empty string`);
    }
    const minAmount = level.minAmount ?? (i === 0 ? 0 : undefined);
    if (minAmount === undefined || !Number.isFinite(minAmount) || minAmount < 0) {
      throw new WorkflowTemplateError('approval', `levels[${i}].minAmount must be a non-negative number`);
    }
    if (minAmount <= previous) {
      throw new WorkflowTemplateError(
        'approval',
        `levels[${i}].minAmount must be above the previous level's`,
      );
    }
    previous = minAmount;
    return { ...level, minAmount };
  });
}
