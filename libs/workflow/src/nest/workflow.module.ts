import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { WorkflowComposer } from '../composer/workflow-composer.js';
import { WorkflowBaseEntity } from './workflow-base.entity.js';
import { WorkflowBaseRepository } from './workflow-base.repository.js';
import { WorkflowBasesService } from './workflow-bases.service.js';
import { WorkflowCompositionService } from './workflow-composition.service.js';
import { WorkflowExtensionEntity } from './workflow-extension.entity.js';
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
 * the compatibility check under /api/workflows. Needs the host app to provide the DatabaseModule
 * (the pool and MikroORM, with the workflow migration applied) globally and the auth convention
 * (a global guard honouring `lssm:auth:*` metadata and setting request.principal). Import
 * `WorkflowModule.forRoot({})`.
 */
@Module({
  imports: [MikroOrmModule.forFeature([WorkflowBaseEntity, WorkflowExtensionEntity])],
  controllers: [WorkflowsController, WorkflowExtensionsController],
  providers: [
    {
      provide: WORKFLOW_COMPOSER,
      inject: [WORKFLOW_MODULE_OPTIONS],
      useFactory: (options: WorkflowModuleOptions) =>
        new WorkflowComposer({ versionMismatch: options.versionMismatch ?? 'fail' }),
    },
    WorkflowBaseRepository,
    WorkflowExtensionRepository,
    WorkflowBasesService,
    WorkflowExtensionsService,
    WorkflowCompositionService,
  ],
  exports: [WorkflowBasesService, WorkflowExtensionsService, WorkflowCompositionService],
})
export class WorkflowModule extends ConfigurableModuleClass {}
