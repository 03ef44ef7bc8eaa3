/**
 * Injection tokens of @lssm/behavior-core, in one file so a host binds the symbols the core injects
 * without importing its internals.
 */
export const JOB_RUNNER = Symbol('BEHAVIOR_JOB_RUNNER');
export const BEHAVIOR_SIGNAL_STORE = Symbol('BEHAVIOR_SIGNAL_STORE');
export const BEHAVIOR_DATA_PROVIDER = Symbol('BEHAVIOR_DATA_PROVIDER');
/** The options given to `BehaviorCoreModule.forRoot`, as given. */
export const BEHAVIOR_CORE_MODULE_OPTIONS = Symbol('BEHAVIOR_CORE_MODULE_OPTIONS');
/** The options with the enabled add-ons folded in (what core's providers read). */
export const BEHAVIOR_CORE_OPTIONS = Symbol('BEHAVIOR_CORE_OPTIONS');
export const SCHEMA_REGISTRY = Symbol('BEHAVIOR_SCHEMA_REGISTRY');
export const CLOCK = Symbol('BEHAVIOR_CLOCK');
export const BEHAVIOR_ALERT_SETTINGS = Symbol('BEHAVIOR_ALERT_SETTINGS');
/** The `KafkaProducerFactory` each Kafka sink gets its producer from (tests bind a fake one). */
export const KAFKA_PRODUCER_FACTORY = Symbol('BEHAVIOR_KAFKA_PRODUCER_FACTORY');
/** The `EmbeddingProvider` the embedder and search use (ai.behavior.embeddings.provider). */
export const EMBEDDING_PROVIDER = Symbol('BEHAVIOR_EMBEDDING_PROVIDER');

/** Event names emitted after commit (wake-up calls, not the source of truth). */
export const BEHAVIOR_SIGNAL_INGESTED = 'behavior.signal.ingested';
export const BEHAVIOR_SIGNAL_BATCH_INGESTED = 'behavior.signal.batch-ingested';
/** Another process on this machine (the API that started this worker) is ingesting. */
export const BEHAVIOR_INGESTION_ELSEWHERE = 'behavior.ingestion.elsewhere';
