import type { StepPlacement } from '../contracts/templates.types.js';
import type { WorkflowOperation, WorkflowStepInput } from '../contracts/workflow-extension.types.js';
import { isNonEmptyString } from '../spec/shape-checks.js';
import { WorkflowTemplateError } from './workflow-template.error.js';

/** Turns `{ after | before | replace }` into the one operation that puts `step` there. */
export function placeStep(
  template: string,
  placement: StepPlacement,
  step: WorkflowStepInput,
): WorkflowOperation {
  const given = (['after', 'before', 'replace'] as const).filter((k) => placement[k] !== undefined);
  if (given.length !== 1) {
    throw new WorkflowTemplateError(
      template,
      `give exactly one of after, before, replace (got ${given.length})`,
    );
  }
  const key = given[0]!;
  const anchor = placement[key];
  if (!isNonEmptyString(anchor))
    throw new WorkflowTemplateError(template, `${key} must be a non-empty step id`);
  if (key === 'after') return { type: 'insertAfter', anchor, step };
  if (key === 'before') return { type: 'insertBefore', anchor, step };
  return { type: 'replaceStep', anchor, step };
}
