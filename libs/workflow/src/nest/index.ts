// The only public door of @lssm/workflow/nest. Nest lives here and nowhere else in the library.
export { WorkflowModule } from './workflow.module.js';
export type { WorkflowModuleOptions } from './workflow-module.options.js';
export { WORKFLOW_COMPOSER } from './workflow-nest.tokens.js';
export { WorkflowBasesService } from './workflow-bases.service.js';
export { WorkflowExtensionsService } from './workflow-extensions.service.js';
export { WorkflowCompositionService } from './workflow-composition.service.js';
export type { WorkflowErrorDetail } from './workflow-error.mapper.js';
