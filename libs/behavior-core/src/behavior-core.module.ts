import { resolve } from 'node:path';
import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type pg from 'pg';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_PG_POOL,
  BEHAVIOR_SIGNAL_SINK,
  CLOCK,
  SCHEMA_REGISTRY,
} from './behavior-core.tokens.js';
import type { BehaviorCoreOptions, Clock } from './contracts/behavior-core-options.js';
import type { BehaviorSignalSink } from './contracts/behavior-signal-sink.js';
import { createBehaviorPool } from './database/pg-pool.factory.js';
import { ApiKeyRateLimitGuard } from './ingestion/api-key-rate-limit.guard.js';
import { SignalIngestionService } from './ingestion/signal-ingestion.service.js';
import { SignalsIngestController } from './ingestion/signals-ingest.controller.js';
import { loadSchemaRegistry } from './schema/schema-registry.loader.js';
import { PostgresSignalSink } from './sinks/postgres-signal.sink.js';

class BehaviorCoreLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(BEHAVIOR_SIGNAL_SINK) private readonly sink: BehaviorSignalSink,
    @Inject(BEHAVIOR_PG_POOL) private readonly pool: pg.Pool,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.sink instanceof PostgresSignalSink) await this.sink.prepare();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sink.flush();
    await this.pool.end();
  }
}

/** Signals: schema registry, validated ingestion, the sink and its storage. */
@Module({})
export class BehaviorCoreModule {
  static forRoot(options: BehaviorCoreOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: BEHAVIOR_CORE_OPTIONS, useValue: options },
      { provide: CLOCK, useValue: { now: () => new Date() } satisfies Clock },
      {
        provide: BEHAVIOR_PG_POOL,
        useFactory: () =>
          createBehaviorPool(options.databaseUrl, options.poolSize ?? 10, (m) => console.warn(m)),
      },
      {
        // A broken schema file throws here, which stops start-up with file, id, field and reason.
        provide: SCHEMA_REGISTRY,
        useFactory: () =>
          loadSchemaRegistry((options.schemaDirs ?? [options.settings.schemas.path]).map((d) => resolve(d))),
      },
      {
        provide: BEHAVIOR_SIGNAL_SINK,
        inject: [BEHAVIOR_PG_POOL],
        useFactory: (pool: pg.Pool) => new PostgresSignalSink(pool),
      },
      SignalIngestionService,
      ApiKeyRateLimitGuard,
      BehaviorCoreLifecycle,
    ];
    return {
      module: BehaviorCoreModule,
      controllers: [SignalsIngestController],
      providers,
      exports: [
        BEHAVIOR_CORE_OPTIONS,
        BEHAVIOR_PG_POOL,
        SCHEMA_REGISTRY,
        BEHAVIOR_SIGNAL_SINK,
        CLOCK,
        SignalIngestionService,
      ],
    };
  }
}
