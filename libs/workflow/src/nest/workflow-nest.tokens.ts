/** The options given to `WorkflowModule.forRoot`. */
export const WORKFLOW_MODULE_OPTIONS = Symbol('WORKFLOW_MODULE_OPTIONS');
/** The core's WorkflowComposer, one stateless instance shared by every request. */
export const WORKFLOW_COMPOSER = Symbol('WORKFLOW_COMPOSER');
