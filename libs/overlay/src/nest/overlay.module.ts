import {
  ConfigurableModuleBuilder,
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DatabasePool } from '@lssm/nest-common';
import { BatchingAuditSink } from '../audit/batching-audit-sink.js';
import type { OverlayAuditSink } from '../contracts/overlay-audit-sink.js';
import { BaseSpecEntity } from './base-spec.entity.js';
import { BaseSpecRepository } from './base-spec.repository.js';
import { KeyEncryption } from './key-encryption.js';
import { OverlayAuditRepository } from './overlay-audit.repository.js';
import { OverlayUserDataRepository } from './overlay-user-data.repository.js';
import { OverlayEditorController } from './overlay-editor.controller.js';
import { OverlayKeysController } from './overlay-keys.controller.js';
import type { OverlayModuleOptions } from './overlay-module.options.js';
import { OVERLAY_AUDIT_SINK, OVERLAY_KEY_ENCRYPTION, OVERLAY_MODULE_OPTIONS } from './overlay-nest.tokens.js';
import { OverlayEntity } from './overlay.entity.js';
import { OverlayRepository } from './overlay.repository.js';
import { OverlaysController } from './overlays.controller.js';
import { OverlaysService } from './overlays.service.js';
import { PostgresOverlayAuditSink } from './postgres-overlay-audit.sink.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { SigningKeyRepository } from './signing-key.repository.js';
import { SigningKeysService } from './signing-keys.service.js';
import { TenantOverlayRegistryCache } from './tenant-overlay-registry.cache.js';

/**
 * Flushes buffered audit records before the app's shutdown hooks close the database
 * (the ORM and the pool close in onApplicationShutdown, which runs after this).
 */
@Injectable()
class OverlayAuditLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(OVERLAY_AUDIT_SINK) private readonly audit: OverlayAuditSink) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.audit.close?.();
  }
}

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<OverlayModuleOptions>({
  optionsInjectionToken: OVERLAY_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  // The host owns the one instance; global, so modules beside it inject its providers.
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

const logger = new Logger('overlays');

/**
 * The overlay service: drafts, signing keys, signing, verification, resolve/apply with audit,
 * and the editor page. Needs the host app to provide the DatabaseModule (the pool and MikroORM)
 * globally and the auth convention (a global guard honouring `lssm:auth:*` metadata and setting
 * request.principal).
 */
@Module({
  imports: [MikroOrmModule.forFeature([OverlayEntity, SigningKeyEntity, BaseSpecEntity])],
  controllers: [OverlayKeysController, OverlaysController, OverlayEditorController],
  providers: [
    {
      provide: OVERLAY_KEY_ENCRYPTION,
      inject: [OVERLAY_MODULE_OPTIONS],
      useFactory: (options: OverlayModuleOptions) => new KeyEncryption(options.keyEncryptionKey),
    },
    {
      provide: OVERLAY_AUDIT_SINK,
      inject: [DatabasePool, OVERLAY_MODULE_OPTIONS],
      useFactory: (db: DatabasePool, options: OverlayModuleOptions) =>
        new BatchingAuditSink({
          target: new PostgresOverlayAuditSink(db),
          maxBatchSize: options.auditBatchSize ?? 100,
          flushIntervalMs: options.auditFlushIntervalMs ?? 500,
          onError: (error, records) =>
            logger.error(`overlay audit: ${records.length} records not written: ${String(error)}`),
          // Bounded: beyond this many held records new ones are dropped and counted.
          maxPendingRecords: options.auditMaxPendingRecords ?? 10_000,
          onDrop: dropWarning(logger),
        }),
    },
    OverlayRepository,
    SigningKeyRepository,
    BaseSpecRepository,
    OverlayAuditRepository,
    OverlayUserDataRepository,
    TenantOverlayRegistryCache,
    OverlaysService,
    SigningKeysService,
    OverlayAuditLifecycle,
  ],
  // The behavior service's retention job and user export read and age the tables this lib owns.
  exports: [
    TenantOverlayRegistryCache,
    OverlaysService,
    SigningKeysService,
    OverlayAuditRepository,
    OverlayUserDataRepository,
  ],
})
export class OverlayModule extends ConfigurableModuleClass {}

/** One warning per 10 s at most while records are being dropped, with the running total. */
function dropWarning(logger: Logger): (dropped: number, total: number) => void {
  let last = 0;
  return (_dropped, total) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    logger.warn(`overlay audit: records dropped at the queue cap (${total} in total since start)`);
  };
}
