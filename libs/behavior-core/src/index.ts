export * from './behavior-core.tokens.js';
export { BEHAVIOR_SETTINGS_SCHEMA } from './config/behavior-settings.schema.js';
export * as ConfigSchema from './config/config-schema.builders.js';
export type * from './contracts/job-runner.js';
export { InProcessJobRunner, type InProcessJobRunnerOptions } from './jobs/in-process-job-runner.js';
export * from './schema/index.js';
export * from './pii/index.js';
export type * from './contracts/behavior-signal.js';
export type * from './contracts/behavior-signal-store.js';
export type * from './contracts/behavior-core-options.js';
export { BehaviorCoreModule } from './behavior-core.module.js';
export { PostgresSignalStore } from './storage/postgres-signal.store.js';
export { GroupCommitQueue } from './storage/group-commit.queue.js';
export {
  SignalIngestionService,
  type IngestItemResult,
  type SignalBatchIngestedEvent,
} from './ingestion/signal-ingestion.service.js';
export type * from './contracts/behavior-data-provider.js';
export { PostgresBehaviorDataProvider } from './storage/postgres-behavior.data-provider.js';
export { BehaviorQueryError } from './queries/behavior-query.error.js';
export { MAX_USER_ID_LENGTH, MAX_PATH_PARAM_UNITS, UserIdPipe } from './queries/user-id.pipe.js';
export {
  FailedSignalRepository,
  type FailedSignalRecord,
} from './failed-signals/failed-signal.repository.js';
export {
  FailedSignalReplayService,
  type ReplayRequest,
  type ReplayResult,
  type ReplayItemResult,
} from './failed-signals/failed-signal-replay.service.js';
export type { IngestOptions } from './ingestion/signal-ingestion.service.js';
// Processing: jobs, metric projection, insights and segmentation.
export type * from './contracts/behavior-job-handler.js';
export type * from './contracts/behavior-metric-projector.js';
export type * from './contracts/behavior-insight-strategy.js';
export type * from './contracts/segmentation-strategy.js';
export { BullMqJobRunner, type BullMqJobRunnerOptions } from './jobs/bullmq-job-runner.js';
export { createJobRunner } from './jobs/job-runner.factory.js';
export { BehaviorJobHandler, BehaviorScheduledTasks } from './jobs/behavior-job.decorators.js';
export { BehaviorJobRegistry } from './jobs/behavior-job.registry.js';
export { RegisterMetricProjector } from './metrics/metric-projector.decorator.js';
export { MetricProjectorRegistry } from './metrics/metric-projector.registry.js';
export { EngagementProjector } from './metrics/engagement.projector.js';
export { ENGAGEMENT_KEYS } from './metrics/engagement-metric-keys.js';
export { UserMetricsService } from './metrics/user-metrics.service.js';
export { SignalStreamWorker } from './stream/signal-stream.worker.js';
export { SignalConsumerRegistry, type SignalConsumerSource } from './stream/signal-consumer.registry.js';
export { RegisterSignalConsumer } from './stream/signal-consumer.decorator.js';
export { streamPartitionOf } from './stream/stream-partition.js';
export { SignalRejectedError } from './stream/signal-rejected.error.js';
export { SinkUnavailableError } from './stream/sink-unavailable.error.js';
// Sinks: downstream receivers fed from the signal stream (docs/sinks.md).
export type * from './contracts/behavior-signal-sink.js';
export { RegisterSignalSink } from './sinks/signal-sink.decorator.js';
export { SignalSinkRegistry } from './sinks/signal-sink.registry.js';
export { SignalSinkConsumer, sinkConsumerName } from './sinks/signal-sink.consumer.js';
export { SignalSinkConfigError } from './sinks/signal-sink-config.error.js';
export {
  SignalSinkHealthService,
  type SinkHealth,
  type SinksHealth,
} from './sinks/signal-sink-health.service.js';
export {
  configuredSinkProblems,
  sinkEntryProblems,
  sinkSettingsOf,
  COMMON_SINK_KEYS,
  type KnownSinkTypes,
  type SignalSinkEntry,
} from './sinks/sink-settings.validator.js';
export { CORE_SIGNAL_SINK_TYPES } from './sinks/core-sink-types.js';
export { signalRecord, type SignalRecord } from './sinks/signal-record.js';
export { RedisStreamsSink, type RedisStreamsSinkOptions } from './sinks/redis-streams/redis-streams.sink.js';
export { KafkaSignalSink, kafkaKey, kafkaRecord } from './sinks/kafka/kafka-signal.sink.js';
export {
  KafkaRecordRejectedError,
  type KafkaProducerFactory,
  type KafkaProducerPort,
  type KafkaRecord,
} from './sinks/kafka/kafka-producer.port.js';
export type { KafkaSinkSettings } from './sinks/kafka/kafka-sink.settings.js';
export { PlatformaticKafkaProducer } from './sinks/kafka/platformatic-kafka.producer.js';
export { S3SignalSink, type S3SinkOptions } from './sinks/s3/s3.sink.js';
export { s3SignalObjects, type S3SignalObject } from './sinks/s3/s3-object.writer.js';
export type { S3SinkSettings } from './sinks/s3/s3-sink.settings.js';
export { ParkedSignalReplayService } from './stream/parked-signal-replay.service.js';
export { MetricProjectionConsumer, METRICS_CONSUMER } from './projection/metric-projection.consumer.js';
export type {
  BehaviorSignalConsumer,
  ExternalSignalConsumer,
  SignalConsumerBatch,
  StreamedSignal,
  TransactionalSignalConsumer,
} from './contracts/behavior-signal-consumer.js';
export {
  MetricReplayService,
  type MetricReplayRequest,
  type MetricReplayResult,
} from './projection/metric-replay.service.js';
export { RegisterInsightStrategy } from './insights/insight-strategy.decorator.js';
export { RegisterSegmentationStrategy } from './segmentation/segmentation-strategy.decorator.js';
export { EngagementInsightStrategy } from './insights/engagement-insight.strategy.js';
export { ThresholdSegmentationStrategy } from './segmentation/threshold-segmentation.strategy.js';
export { InsightStrategyRegistry } from './insights/insight-strategy.registry.js';
export { BehaviorAnalysisService, type AnalysisRunResult } from './insights/behavior-analysis.service.js';
export { type UserScope } from './insights/behavior-features.repository.js';
export { UserInsightsService } from './insights/user-insights.service.js';
// Add-ons and alerts: the add-on descriptor, anomaly rules, behavior_alerts.
export type * from './contracts/behavior-add-on.js';
export type * from './contracts/behavior-add-on-definition.js';
export type * from './contracts/behavior-anomaly-rule.js';
export { composeAddOns, type AddOnComposition } from './add-ons/add-on-settings.js';
export {
  checkStorable,
  type StorableCheck,
  type StorableCheckOptions,
} from './ingestion/storable-value.guard.js';
export {
  CORE_EXTENSION_NAMES,
  extensionNameProblems,
  knownExtensionNames,
  type ExtensionNameSource,
  type KnownExtensionNames,
} from './add-ons/extension-names.js';
export { RegisterAnomalyRule } from './alerts/anomaly-rule.decorator.js';
export { ALERT_SEVERITIES } from './alerts/alert-severity.js';
export {
  AnomalyDetectionService,
  type AnomalyDetectionResult,
  type AnomalyRuleRunResult,
} from './alerts/anomaly-detection.service.js';
export {
  PostgresAlertRepository,
  ALERT_STATUSES,
  type AlertRecord,
  type AlertListQuery,
  type AlertStatus,
  type AlertEvent,
  type AlertEventType,
} from './alerts/postgres-alert.repository.js';
// Core anomaly detectors (docs/anomalies.md): the pure math is shared with bench:anomalies.
export {
  Z_THRESHOLDS,
  median,
  robustScore,
  volumeChange,
  userRateOutliers,
  failureRateChange,
  type AnomalySensitivity,
  type RobustScore,
  type VolumeFinding,
  type UserRateFinding,
  type FailureRateFinding,
} from './anomalies/robust-score.js';
export { lastCompleteWindow, SETTLE_MS, type AnomalyWindow } from './anomalies/anomaly-window.js';
export {
  AnomalyScanService,
  type AnomalyScanResult,
  type AnomalyScanRuleResult,
} from './anomalies/anomaly-scan.service.js';
export { VOLUME_CHANGE_RULE } from './anomalies/volume-change.detector.js';
export { USER_RATE_RULE } from './anomalies/user-rate.detector.js';
export { VALIDATION_FAILURE_RATE_RULE } from './anomalies/validation-failure-rate.detector.js';
// Alert webhooks: signing (receivers may reuse verifyWebhookSignature), delivery.
export { SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from './webhooks/webhook-signature.js';
export { isPrivateAddress } from './webhooks/webhook-address.policy.js';
export { WebhookDeliveryService, type WebhookDeliveryResult } from './webhooks/webhook-delivery.service.js';
export { RetentionJob, type RetentionRunResult } from './retention/retention.job.js';
export { retentionCutoffs, type RetentionCutoffs } from './retention/retention-cutoffs.js';
export { PersonalizationModule } from './personalization-api/personalization.module.js';
// Privacy: user erasure, erasure hooks, tenant deletion, suppression (docs/privacy.md).
export type * from './contracts/behavior-erasure-hook.js';
export { RegisterErasureHook } from './privacy/erasure-hook.decorator.js';
export { ErasureHookRegistry } from './privacy/erasure-hook.registry.js';
export { ErasureService, ERASURE_JOB } from './privacy/erasure.service.js';
export { ErasureJob, type ErasureRunResult } from './privacy/erasure.job.js';
export type {
  ErasureRecord,
  ErasureKind,
  ErasureStatus,
  SuppressionRecord,
} from './privacy/erasure.repository.js';
export { UserIdHasher } from './privacy/user-id.hasher.js';
export { ErasureAcceptedDto, ErasureDto } from './privacy/privacy.dto.js';
export { requesterOf } from './privacy/privacy.controller.js';
export {
  UserExportService,
  USER_EXPORT_FORMAT_VERSION,
  USER_EXPORT_TYPES,
  type UserExportType,
} from './privacy/user-export.service.js';
export type { EmbeddingProvider, EmbeddingResult } from './contracts/embedding-provider.js';
export { LocalEmbeddingProvider, normalizeEmbeddingText } from './embeddings/local-embedding.provider.js';
export {
  OpenAiCompatibleEmbeddingProvider,
  EmbeddingProviderError,
  type OpenAiCompatibleSettings,
} from './embeddings/openai-compatible-embedding.provider.js';
export { EmbeddingRepository } from './embeddings/embedding.repository.js';
export { EmbeddingSearchService, topK } from './embeddings/embedding-search.service.js';
export { EmbeddingVectorCache, MAX_CACHED_VECTORS } from './embeddings/embedding-vector.cache.js';
export { EMBEDDINGS_CONSUMER } from './embeddings/embedder.consumer.js';
