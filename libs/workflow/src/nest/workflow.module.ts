import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { WorkflowComposer } from '../composer/workflow-composer.js';
import { WorkflowBaseRepository } from './workflow-base.repository.js';
import { WorkflowBasesService } from './workflow-bases.service.js';
import { WorkflowCompositionService } from './workflow-composition.service.js';
import { WorkflowDatabase } from './workflow-database.js';
import { WorkflowExtensionRepository } from './workflow-extension.repository.js';
import { WorkflowExtensionsController } from './workflow-extensions.controller.js';
import { WorkflowExtensionsService } from './workflow-extensions.service.js';
import type { WorkflowModuleOptions } from './workflow-module.options.js';
import { WORKFLOW_COMPOSER, WORKFLOW_MODULE_OPTIONS } from './workflow-nest.tokens.js';
import { WorkflowsController } from './workflows.controller.js';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<WorkflowModuleOptions>({
  optionsInjectionToken: WORKFLOW_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .build();

/**
 * The workflow service: versioned base workflows and extensions per tenant, composition and
 * the compatibility check under /api/workflows. Needs the host app to provide MikroORM
 * (PostgreSQL, with the workflow migration applied) globally and the auth convention (a global
 * guard honouring `lssm:auth:*` metadata and setting request.principal). Import
 * `WorkflowModule.forRoot({})`.
 */
@Module({
  controllers: [WorkflowsController, WorkflowExtensionsController],
  providers: [
    {
      provide: WORKFLOW_COMPOSER,
      inject: [WORKFLOW_MODULE_OPTIONS],
      useFactory: (options: WorkflowModuleOptions) =>
        new WorkflowComposer({ versionMismatch: options.versionMismatch ?? 'fail' }),
    },
    WorkflowDatabase,
    WorkflowBaseRepository,
    WorkflowExtensionRepository,
    WorkflowBasesService,
    WorkflowExtensionsService,
    WorkflowCompositionService,
  ],
  exports: [WorkflowBasesService, WorkflowExtensionsService, WorkflowCompositionService],
})
export class WorkflowModule extends ConfigurableModuleClass {}
