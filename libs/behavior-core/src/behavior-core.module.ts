import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DatabasePool } from '@lssm/nest-common';
import { ConfigurableModuleBuilder, Logger, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { composeAddOns } from './add-ons/add-on-settings.js';
import { seamProviders } from './add-ons/seam-providers.js';
import { DEFAULT_ALERT_SETTINGS, type ResolvedAlertSettings } from './alerts/alert-settings.js';
import { AlertsController } from './alerts/alerts.controller.js';
import { AnomalyDetectionJobs } from './alerts/anomaly-detection.job.js';
import { AnomalyDetectionService } from './alerts/anomaly-detection.service.js';
import { AnomalyRuleRegistry } from './alerts/anomaly-rule.registry.js';
import { PostgresAlertRepository } from './alerts/postgres-alert.repository.js';
import { AlertLifecycleService } from './alerts/alert-lifecycle.service.js';
import { AnomalyScanJobs } from './anomalies/anomaly-scan.job.js';
import { AnomalyScanService } from './anomalies/anomaly-scan.service.js';
import { PostgresWebhookRepository } from './webhooks/postgres-webhook.repository.js';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import {
  BEHAVIOR_ALERT_SETTINGS,
  BEHAVIOR_CORE_MODULE_OPTIONS,
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_DATA_PROVIDER,
  BEHAVIOR_SIGNAL_STORE,
  CLOCK,
  JOB_RUNNER,
  KAFKA_PRODUCER_FACTORY,
  SCHEMA_REGISTRY,
  EMBEDDING_PROVIDER,
} from './behavior-core.tokens.js';
import type { BehaviorCoreModuleOptions } from './contracts/behavior-add-on.js';
import type { BehaviorCoreOptions, Clock } from './contracts/behavior-core-options.js';
import type { EmbeddingProvider } from './contracts/embedding-provider.js';
import { BehaviorAnalysisJobs } from './insights/behavior-analysis.job.js';
import { BehaviorAnalysisService } from './insights/behavior-analysis.service.js';
import { BehaviorFeaturesRepository } from './insights/behavior-features.repository.js';
import { BehaviorInsightRepository } from './insights/behavior-insight.repository.js';
import { createJobRunner } from './jobs/job-runner.factory.js';
import { EngagementInsightStrategy } from './insights/engagement-insight.strategy.js';
import { InsightStrategyRegistry } from './insights/insight-strategy.registry.js';
import { InsightsController } from './insights/insights.controller.js';
import { UserInsightsService } from './insights/user-insights.service.js';
import { EngagementProjector } from './metrics/engagement.projector.js';
import { MetricProjectorRegistry } from './metrics/metric-projector.registry.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { UserMetricsService } from './metrics/user-metrics.service.js';
import { MetricReplayService } from './projection/metric-replay.service.js';
import { MetricRepository } from './metrics/metric.repository.js';
import { SignalStreamRepository } from './stream/signal-stream.repository.js';
import { JobCursorRepository } from './jobs/job-cursor.repository.js';
import { JobCursorEntity } from './jobs/job-cursor.entity.js';
import { MetricProjectionConsumer } from './projection/metric-projection.consumer.js';
import { PartitionLeaseRepository } from './stream/partition-lease.repository.js';
import { SignalBatchRunner } from './stream/signal-batch.runner.js';
import { SignalConsumerRegistry } from './stream/signal-consumer.registry.js';
import { SignalStreamWorker } from './stream/signal-stream.worker.js';
import { StreamPacer } from './stream/stream-pacer.js';
import { ParkedSignalRepository } from './stream/parked-signal.repository.js';
import { ParkedSignalReplayService } from './stream/parked-signal-replay.service.js';
import { StreamAdminController } from './stream/stream-admin.controller.js';
import { StreamStatusRepository } from './stream/stream-status.repository.js';
import { RetentionJob } from './retention/retention.job.js';
import { ErasureHookRegistry } from './privacy/erasure-hook.registry.js';
import { ErasureJob } from './privacy/erasure.job.js';
import { ErasureRepository } from './privacy/erasure.repository.js';
import { ErasureService } from './privacy/erasure.service.js';
import { PrivacyController } from './privacy/privacy.controller.js';
import { EmbedderConsumer } from './embeddings/embedder.consumer.js';
import { EmbeddingRepository } from './embeddings/embedding.repository.js';
import { EmbeddingSearchService } from './embeddings/embedding-search.service.js';
import { EmbeddingVectorCache } from './embeddings/embedding-vector.cache.js';
import { EmbeddingsController } from './embeddings/embeddings.controller.js';
import { createEmbeddingProvider } from './embeddings/embedding-provider.factory.js';
import { UserIdHasher } from './privacy/user-id.hasher.js';
import { SinkErasureHook } from './privacy/sink-erasure.hook.js';
import { ThresholdSegmentationStrategy } from './segmentation/threshold-segmentation.strategy.js';
import { FailedSignalReplayService } from './failed-signals/failed-signal-replay.service.js';
import { FailedSignalRepository } from './failed-signals/failed-signal.repository.js';
import { FailedSignalsController } from './failed-signals/failed-signals.controller.js';
import { ApiKeyRateLimitGuard } from './ingestion/api-key-rate-limit.guard.js';
import { SignalIngestionService } from './ingestion/signal-ingestion.service.js';
import { SignalsIngestController } from './ingestion/signals-ingest.controller.js';
import { SignalsQueryController } from './queries/signals-query.controller.js';
import { UserExportController } from './privacy/user-export.controller.js';
import { UserExportService } from './privacy/user-export.service.js';
import { loadSchemaRegistry } from './schema/schema-registry.loader.js';
import type { SchemaRegistry } from './schema/schema-registry.js';
import { PiiTreatmentService } from './pii/pii-treatment.service.js';
import { SchemasController } from './schema/schemas.controller.js';
import { PostgresSignalStore } from './storage/postgres-signal.store.js';
import { PostgresBehaviorDataProvider } from './storage/postgres-behavior.data-provider.js';
import { BehaviorTelemetry } from './telemetry/behavior-telemetry.service.js';
import { BehaviorCoreLifecycle } from './nest/behavior-core.lifecycle.js';
import { BehaviorJobRegistry } from './jobs/behavior-job.registry.js';
import { KafkaSinkFactory } from './sinks/kafka/kafka-sink.factory.js';
import type { KafkaProducerFactory } from './sinks/kafka/kafka-producer.port.js';
import { PlatformaticKafkaProducer } from './sinks/kafka/platformatic-kafka.producer.js';
import { RedisStreamsSinkFactory } from './sinks/redis-streams/redis-streams-sink.factory.js';
import { S3SinkFactory } from './sinks/s3/s3-sink.factory.js';
import { SignalSinkHealthService } from './sinks/signal-sink-health.service.js';
import { SignalSinkRegistry } from './sinks/signal-sink.registry.js';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<BehaviorCoreModuleOptions>({
  optionsInjectionToken: BEHAVIOR_CORE_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  // The host owns the one instance; global, so modules beside it inject its providers.
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Signals: schema registry, validated ingestion, the signal store, downstream sinks, processing and jobs.
 * `forRoot` options may replace the seams (signal store, data provider, job runner) and bring add-ons.
 */
@Module({})
export class BehaviorCoreModule extends ConfigurableModuleClass {
  /** Add-ons and seams decide which modules and providers exist, so they must be known up front. */
  static override forRootAsync(): never {
    throw new Error('BehaviorCoreModule takes its options synchronously: use BehaviorCoreModule.forRoot');
  }

  static override forRoot(input: BehaviorCoreModuleOptions & { readonly isGlobal?: boolean }): DynamicModule {
    const { isGlobal, ...moduleOptions } = input;
    const base = super.forRoot({ ...moduleOptions, isGlobal });
    // Add-ons (docs/add-ons.md) extend the configured lists and schema directories.
    const { options, schemaSources, anomalyRules } = composeAddOns(moduleOptions);
    const alertSettings: ResolvedAlertSettings = {
      ...DEFAULT_ALERT_SETTINGS,
      ...moduleOptions.settings.alerts,
      ...moduleOptions.alerts,
      rules: anomalyRules,
    };
    const providers: Provider[] = [
      { provide: BEHAVIOR_CORE_OPTIONS, useValue: options },
      { provide: BEHAVIOR_ALERT_SETTINGS, useValue: alertSettings },
      { provide: CLOCK, useValue: { now: () => new Date() } satisfies Clock },
      // A factory, so the meter is taken when Nest builds the provider (after the SDK started).
      { provide: BehaviorTelemetry, useFactory: () => new BehaviorTelemetry() },
      {
        // A broken schema file throws here, which stops start-up with file, id, field and reason.
        provide: SCHEMA_REGISTRY,
        useFactory: () =>
          loadSchemaRegistry(schemaSources, { log: (m) => new Logger('SchemaRegistry').log(m) }),
      },
      {
        // Refuses start-up when a schema hashes or encrypts without its key in ai.behavior.privacy.
        provide: PiiTreatmentService,
        inject: [SCHEMA_REGISTRY],
        useFactory: (registry: SchemaRegistry) => {
          const service = new PiiTreatmentService(options.settings.privacy);
          const gaps = service.missingKeys(registry.list());
          if (gaps.length > 0) throw new Error(`Sensitive attributes without keys:\n  ${gaps.join('\n  ')}`);
          return service;
        },
      },
      ...seamProviders(
        {
          signalStore: {
            inject: [DatabasePool, BEHAVIOR_CORE_OPTIONS],
            useFactory: (db: DatabasePool, options: BehaviorCoreOptions) =>
              new PostgresSignalStore(db.ingest, {
                maxQueued: options.settings.ingestion.maxQueuedSignals,
                streamPartitions: options.settings.stream.partitions,
              }),
          },
          dataProvider: {
            inject: [DatabasePool],
            useFactory: (db: DatabasePool) => new PostgresBehaviorDataProvider(db.read),
          },
          // Processing.runner `auto`: BullMQ when Redis is configured, else in-process.
          jobRunner: {
            inject: [{ token: SchedulerRegistry, optional: true }],
            useFactory: (schedulerRegistry?: SchedulerRegistry) =>
              createJobRunner(options.settings.processing, {
                redisUrl: moduleOptions.redisUrl,
                schedulerRegistry,
              }),
          },
        },
        { signalStore: BEHAVIOR_SIGNAL_STORE, dataProvider: BEHAVIOR_DATA_PROVIDER, jobRunner: JOB_RUNNER },
        moduleOptions.seams,
        moduleOptions.addOns,
      ),
      {
        provide: FailedSignalRepository,
        inject: [DatabasePool],
        useFactory: (db: DatabasePool) => new FailedSignalRepository(db.read),
      },
      FailedSignalReplayService,
      // Processing: projection, metrics, insights, segmentation, their jobs.
      EngagementProjector,
      MetricProjectorRegistry,
      SignalStreamRepository,
      MetricRepository,
      JobCursorRepository,
      PartitionLeaseRepository,
      ParkedSignalRepository,
      ParkedSignalReplayService,
      StreamStatusRepository,
      SignalConsumerRegistry,
      SignalBatchRunner,
      SignalStreamWorker,
      StreamPacer,
      MetricProjectionConsumer,
      // Sinks: each entry of ai.behavior.sinks is the stream consumer sink:<name>.
      SignalSinkRegistry,
      SignalSinkHealthService,
      RedisStreamsSinkFactory,
      KafkaSinkFactory,
      S3SinkFactory,
      {
        provide: KAFKA_PRODUCER_FACTORY,
        useValue: ((settings, name) =>
          new PlatformaticKafkaProducer(settings, name)) satisfies KafkaProducerFactory,
      },
      MetricReplayService,
      UserMetricsService,
      EngagementInsightStrategy,
      ThresholdSegmentationStrategy,
      InsightStrategyRegistry,
      BehaviorFeaturesRepository,
      BehaviorInsightRepository,
      BehaviorAnalysisService,
      UserInsightsService,
      BehaviorAnalysisJobs,
      RetentionJob,
      // Privacy: user erasure, tenant deletion, the suppression list (docs/privacy.md).
      {
        provide: UserIdHasher,
        inject: [DatabasePool],
        useFactory: (db: DatabasePool) =>
          // The ingest lane: the first signal naming a user loads the installation secret, and ingestion
          // must not wait for a background connection to do so.
          new UserIdHasher(options.settings.privacy.hashSecret, db.ingest),
      },
      {
        provide: ErasureRepository,
        inject: [DatabasePool],
        useFactory: (db: DatabasePool) => new ErasureRepository(db.background),
      },
      ErasureHookRegistry,
      SinkErasureHook,
      // Embeddings: the embedder consumer and semantic search (docs/embeddings.md).
      { provide: EMBEDDING_PROVIDER, useFactory: () => createEmbeddingProvider(options.settings.embeddings) },
      {
        provide: EmbeddingRepository,
        inject: [DatabasePool],
        useFactory: (db: DatabasePool) => new EmbeddingRepository(db.background),
      },
      EmbedderConsumer,
      {
        // Search reads on the read lane (its statement timeout), the embedder writes on the background one.
        provide: EmbeddingSearchService,
        inject: [EMBEDDING_PROVIDER, DatabasePool],
        useFactory: (provider: EmbeddingProvider, db: DatabasePool) =>
          new EmbeddingSearchService(provider, new EmbeddingVectorCache(new EmbeddingRepository(db.read))),
      },
      ErasureService,
      ErasureJob,
      UserExportService,
      SignalIngestionService,
      ApiKeyRateLimitGuard,
      BehaviorJobRegistry,
      BehaviorCoreLifecycle,
      // Alerts: always listable; the detection task only when an add-on enables a rule.
      {
        provide: PostgresAlertRepository,
        inject: [DatabasePool],
        useFactory: (db: DatabasePool) => new PostgresAlertRepository(db.read),
      },
      AnomalyRuleRegistry,
      AnomalyDetectionService,
      ...(anomalyRules.length > 0 ? [AnomalyDetectionJobs] : []),
      AlertLifecycleService,
      // Core detectors and alert delivery (docs/anomalies.md).
      AnomalyScanService,
      AnomalyScanJobs,
      {
        provide: PostgresWebhookRepository,
        inject: [DatabasePool],
        useFactory: (db: DatabasePool) => new PostgresWebhookRepository(db.background),
      },
      WebhookDeliveryService,
    ];
    return {
      ...base,
      imports: [
        DiscoveryModule,
        MikroOrmModule.forFeature([JobCursorEntity]),
        ...(moduleOptions.addOns ?? []).map((a) => a.module),
      ],
      controllers: [
        SignalsIngestController,
        MetricsController,
        InsightsController,
        SignalsQueryController,
        UserExportController,
        FailedSignalsController,
        SchemasController,
        AlertsController,
        WebhooksController,
        StreamAdminController,
        PrivacyController,
        EmbeddingsController,
      ],
      providers: [...(base.providers ?? []), ...providers],
      exports: [
        BehaviorTelemetry,
        BEHAVIOR_CORE_OPTIONS,
        SCHEMA_REGISTRY,
        BEHAVIOR_SIGNAL_STORE,
        BEHAVIOR_DATA_PROVIDER,
        JOB_RUNNER,
        CLOCK,
        BehaviorJobRegistry,
        SignalIngestionService,
        PiiTreatmentService,
        SignalStreamWorker,
        SignalConsumerRegistry,
        SignalSinkRegistry,
        SignalSinkHealthService,
        MetricReplayService,
        MetricProjectorRegistry,
        BehaviorAnalysisService,
        UserInsightsService,
        AnomalyDetectionService,
        ErasureService,
        UserIdHasher,
        AnomalyScanService,
        WebhookDeliveryService,
        EMBEDDING_PROVIDER,
      ],
    };
  }
}
