import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { validateExtensionShape } from '../spec/extension-shape.validator.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { validationDetail, type WorkflowErrorDetail } from './workflow-error.mapper.js';

const STEP_KEYS = new Set(['id', 'type', 'label', 'transitions', 'config']);
const TRANSITION_KEYS = new Set(['to', 'on']);
const OPERATION_KEYS: Record<string, ReadonlySet<string>> = {
  insertBefore: new Set(['type', 'anchor', 'step']),
  insertAfter: new Set(['type', 'anchor', 'step']),
  replaceStep: new Set(['type', 'anchor', 'step']),
  removeStep: new Set(['type', 'anchor']),
  addTransition: new Set(['type', 'from', 'to', 'on']),
  setLabel: new Set(['type', 'anchor', 'label']),
};

/**
 * The core's validators tolerate unknown properties and the composer drops them; over HTTP
 * a dropped property would be silently lost data (a misspelt `transitions` would even change
 * the wiring), so they are refused. Step `config` stays free-form.
 */
export function checkWorkflowPayload(spec: WorkflowSpec): WorkflowErrorDetail[] {
  const details = validateWorkflow(spec).errors.map((e) => validationDetail(e, spec));
  if (Array.isArray(spec.steps)) spec.steps.forEach((s, i) => unknownStepKeys(s, `steps[${i}]`, details));
  return details;
}

/** The extension as the composer will get it (tenant, workflow and id already filled in by the service). */
export function checkExtensionPayload(extension: unknown): WorkflowErrorDetail[] {
  const details = validateExtensionShape(extension).errors.map((e) => validationDetail(e));
  const operations = (extension as { operations?: unknown }).operations;
  if (Array.isArray(operations)) {
    operations.forEach((op, i) => {
      if (!isRecord(op)) return;
      const allowed = OPERATION_KEYS[String(op.type)];
      if (!allowed) return;
      unknownKeys(op, allowed, `operations[${i}]`, details);
      if (allowed.has('step')) unknownStepKeys(op.step, `operations[${i}].step`, details);
    });
  }
  return details;
}

function unknownStepKeys(step: unknown, path: string, details: WorkflowErrorDetail[]): void {
  if (!isRecord(step)) return;
  unknownKeys(step, STEP_KEYS, path, details);
  if (Array.isArray(step.transitions)) {
    step.transitions.forEach((t, i) => {
      if (isRecord(t)) unknownKeys(t, TRANSITION_KEYS, `${path}.transitions[${i}]`, details);
    });
  }
}

function unknownKeys(
  value: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
  details: WorkflowErrorDetail[],
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      details.push({
        path: `${path}.${key}`,
        code: 'unknown_property',
        message: `${path}.${key}: unknown property (allowed: ${[...allowed].join(', ')})`,
      });
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
