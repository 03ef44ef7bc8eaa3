import { Module } from '@nestjs/common';
import { WorkflowComposer } from '../composer/workflow-composer.js';
import { WorkflowBaseRepository } from './workflow-base.repository.js';
import { WorkflowBasesService } from './workflow-bases.service.js';
import { WorkflowCompositionService } from './workflow-composition.service.js';
import { WorkflowDatabase } from './workflow-database.js';
import { WorkflowExtensionRepository } from './workflow-extension.repository.js';
import { WorkflowExtensionsController } from './workflow-extensions.controller.js';
import { WorkflowExtensionsService } from './workflow-extensions.service.js';
import { WORKFLOW_COMPOSER } from './workflow-nest.tokens.js';
import { WorkflowsController } from './workflows.controller.js';

/**
 * The workflow service: versioned base workflows and extensions per tenant, composition and
 * the compatibility check under /api/workflows. Needs the host app to provide MikroORM
 * (PostgreSQL, with the workflow migration applied) globally and the auth convention (a global
 * guard honouring `lssm:auth:*` metadata and setting request.principal).
 */
@Module({
  controllers: [WorkflowsController, WorkflowExtensionsController],
  providers: [
    // Pinned extensions fail loudly on another base version (the core's default), rather than
    // a tenant's approval step silently disappearing from its workflow.
    { provide: WORKFLOW_COMPOSER, useFactory: () => new WorkflowComposer({ versionMismatch: 'fail' }) },
    WorkflowDatabase,
    WorkflowBaseRepository,
    WorkflowExtensionRepository,
    WorkflowBasesService,
    WorkflowExtensionsService,
    WorkflowCompositionService,
  ],
  exports: [WorkflowBasesService, WorkflowExtensionsService, WorkflowCompositionService],
})
export class WorkflowModule {}
