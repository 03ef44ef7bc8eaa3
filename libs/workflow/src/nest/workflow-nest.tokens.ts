/** The core's WorkflowComposer, one stateless instance shared by every request. */
export const WORKFLOW_COMPOSER = Symbol('WORKFLOW_COMPOSER');
