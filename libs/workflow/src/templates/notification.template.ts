import type { NotificationOptions } from '../contracts/templates.types.js';
import type { WorkflowOperation } from '../contracts/workflow-extension.types.js';
import { isNonEmptyString } from '../spec/shape-checks.js';
import { placeStep } from './step-placement.js';
import { WorkflowTemplateError } from './workflow-template.error.js';

/** A pass-through step that sends a message; the composer wires it in at its placement. */
export function notification(options: NotificationOptions): WorkflowOperation[] {
  if (!isNonEmptyString(options.template)) {
    throw new WorkflowTemplateError('notification', 'template must be a non-empty string');
  }
  const config: Record<string, unknown> = { channel: options.channel, template: options.template };
  if (options.recipients !== undefined) config.recipients = [...options.recipients];
  return [
    placeStep('notification', options, {
      id: options.id,
      type: 'notification',
      label: options.label ?? `Notify (${options.channel})`,
      config,
    }),
  ];
}
