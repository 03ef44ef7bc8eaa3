import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { DatabaseModule } from '@lssm/nest-common';
import { OverlayModule } from '@lssm/overlay/nest';
import { WorkflowModule } from '@lssm/workflow/nest';
import { BehaviorCoreModule, type BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { PersonalizationModule } from '@lssm/behavior-core';
import { AdminController } from './admin/admin.controller.js';
import { APP_CONFIG, TELEMETRY } from './api.tokens.js';
import { ApiAuthGuard } from './auth/api-auth.guard.js';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator.js';
import { PublishableOrigins } from './auth/publishable-origins.js';
import type { AppConfig } from './config/app-config.js';
import { enabledAddOns } from './config/enabled-add-ons.js';
import { HealthController } from './health/health.controller.js';
import { RedisHealthClient } from './health/redis-health.client.js';
import { JobsController } from './jobs/jobs.controller.js';
import { AllExceptionsFilter } from './http/all-exceptions.filter.js';
import { MetricsController } from './observability/metrics.controller.js';
import type { Telemetry } from './observability/telemetry.js';
import { ApiKeyEntity } from './tenancy/api-key.entity.js';
import { ApiKeyLookupRepository } from './tenancy/api-key-lookup.repository.js';
import { TenancyService } from './tenancy/tenancy.service.js';
import { TenantEntity } from './tenancy/tenant.entity.js';
import { OverlayErasureHook } from './privacy/overlay-erasure.hook.js';
import { TenancyErasureHook } from './privacy/tenancy-erasure.hook.js';

export interface AppModuleOptions {
  readonly config: AppConfig;
  /** The resolved database (DATABASE_URL or the embedded cluster). */
  readonly databaseUrl: string;
  readonly telemetry: Telemetry;
  /** The add-ons the host lists (DEFAULT_ADD_ONS unless given); the enabled ones are imported. */
  readonly addOns?: readonly BehaviorAddOnDefinition<any>[];
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: config },
      { provide: TELEMETRY, useValue: options.telemetry },
      RedisHealthClient,
      ApiKeyLookupRepository,
      ApiKeyAuthenticator,
      PublishableOrigins,
      TenancyService,
      // Erasure hooks for the host's own tables (docs/privacy.md).
      OverlayErasureHook,
      TenancyErasureHook,
      { provide: APP_GUARD, useClass: ApiAuthGuard },
      { provide: APP_FILTER, useClass: AllExceptionsFilter },
    ];
    return {
      module: AppModule,
      imports: [
        EventEmitterModule.forRoot(),
        ScheduleModule.forRoot(),
        DiscoveryModule,
        // The one pool (and MikroORM on it) for every lib: docs/operations.md, "Connections".
        DatabaseModule.forRoot({
          url: options.databaseUrl,
          poolSize: config.database.poolSize,
          ingestReserved: config.database.ingestReserved,
          readStatementTimeoutMs: config.database.readStatementTimeoutMs,
          isGlobal: true,
        }),
        MikroOrmModule.forFeature([TenantEntity, ApiKeyEntity]),
        BehaviorCoreModule.forRoot({
          settings: config.ai.behavior,
          isGlobal: true,
          addOns: enabledAddOns(config, options.addOns),
          // REDIS_URL → BullMQ jobs, else in-process; ai.behavior.processing.runner can force either.
          redisUrl: config.redis.url,
        }),
        OverlayModule.forRoot({ keyEncryptionKey: config.overlays.keyEncryptionKey, isGlobal: true }),
        WorkflowModule.forRoot({}),
        PersonalizationModule,
      ],
      controllers: [HealthController, MetricsController, AdminController, JobsController],
      providers,
    };
  }
}
