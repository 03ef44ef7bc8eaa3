/** Thrown by templates when their options cannot produce a sensible step chain. */
export class WorkflowTemplateError extends Error {
  override readonly name = 'WorkflowTemplateError';
  readonly code = 'invalid_template_options';

  constructor(
    readonly template: string,
    message: string,
  ) {
    super(`${template}: ${message}`);
  }
}
