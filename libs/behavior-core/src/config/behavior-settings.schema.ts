import { Type, type Static } from 'typebox';
import { cron, int, names, nullableString, obj, oneOf, type DeepReadonly } from './config-schema.builders.js';

/**
 * The `ai.behavior` configuration subtree core reads, as a JSON Schema fragment; the host app
 * embeds it in its configuration schema (beside `addOns`) and validates with Ajv.
 * config/default.yaml documents every key.
 */
export const BEHAVIOR_SETTINGS_SCHEMA = obj({
  schemas: obj({
    // Load the starter set shipped with the core (STARTER_SCHEMA_DIR).
    starter: Type.Boolean(),
    // The user's directories, layered after the starter set and the add-ons' (relative to the working directory).
    path: Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true }),
  }),
  ingestion: obj({
    maxBatchSize: int(1, 10000),
    maxClockSkewMs: int(0),
    // Oldest accepted timestamp, in days before now.
    maxAgeDays: int(1, 36500),
    // Larger rejected items are kept in failed_signals as a truncated preview.
    maxFailedPayloadBytes: int(256, 1048576),
    // Items waiting for the group commit at most; beyond it ingestion answers 503 overloaded.
    maxQueuedSignals: int(1),
    rateLimit: obj({
      enabled: Type.Boolean(),
      requestsPerSecond: int(1),
      burst: int(1),
      // A publishable key is public: besides its key-wide bucket, each client IP using it gets one.
      perClientIp: obj({ requestsPerSecond: int(1), burst: int(1) }),
    }),
  }),
  // Downstream sinks the signal stream feeds after commit (docs/sinks.md). Each entry's own
  // settings are checked against its type's schema (sinks/sink-settings.validator.ts); PostgreSQL
  // is the signal store, not a sink (another store comes through the `signalStore` seam).
  sinks: Type.Array(
    Type.Object(
      {
        // Names the stream consumer `sink:<name>` (its checkpoints): renaming starts it over.
        name: Type.String({ pattern: '^[a-z][a-z0-9_.-]{0,62}$' }),
        type: Type.String({ minLength: 1 }),
        batchSize: Type.Optional(int(1, 10000)),
        // Failing longer than this (ms) is a warning in the health endpoint.
        failureWarningMs: Type.Optional(int(0)),
      },
      { additionalProperties: true },
    ),
  ),
  metrics: obj({
    projectors: names,
    projection: obj({ batchSize: int(1, 50000) }),
  }),
  // The signal stream every consumer (projection, anomaly rules, add-ons') reads: docs/stream.md.
  stream: obj({
    // Fixed hash partitions of (tenant, user or session); per-user order holds within one.
    partitions: int(1, 1024),
    // Partitions one process works on at the same time.
    lanes: int(1, 64),
    // A worker's partition lease lasts this long unless renewed (every leaseRenewMs).
    leaseTtlMs: int(1000),
    leaseRenewMs: int(100),
    // The ingest event wakes local consumers sooner; this is the fallback poll.
    pollIntervalMs: int(10),
    // While ingestion runs beside the consumers (role all) and the CPUs are at least busyCpu busy,
    // each lane spends at most busyShare of its time in batches (1: never yield).
    busyShare: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    busyCpu: Type.Number({ minimum: 0, maximum: 1 }),
  }),
  insights: obj({
    strategies: names,
    ttlMinutes: int(1),
    computeOnRead: Type.Boolean(),
    windowDays: int(1, 3650),
  }),
  segmentation: obj({
    strategy: Type.String({ minLength: 1 }),
    thresholds: obj({
      newWithinDays: int(1),
      dormantAfterDays: int(1),
      superEngagedScore: Type.Number({ minimum: 0, maximum: 1 }),
    }),
  }),
  processing: obj({
    role: oneOf('api', 'worker', 'all'),
    // With role `all`: `child` runs consumers and job workers in a worker process the service
    // starts and supervises (at lower CPU priority), so they never take the API's event loop;
    // `inline` runs them in the API process.
    workerProcess: oneOf('child', 'inline'),
    runner: oneOf('auto', 'in-process', 'bullmq'),
    concurrency: int(1, 64),
    retry: obj({ attempts: int(1, 100), backoffMs: int(0) }),
    // How long POST /jobs/{name}/run waits for the outcome before answering 202 with the run id.
    runWaitMs: int(0, 600000),
    bullmq: obj({
      prefix: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
      queue: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
    }),
    patternDetection: obj({ schedule: cron }),
    segmentation: obj({ schedule: cron }),
  }),
  // `schedule` is the cron of the `retention` task. `alertsDays` ages resolved alerts by their
  // resolution time (open ones are kept); `overlayAuditDays` ages overlay audit rows by applied_at.
  retention: obj({
    signalsDays: int(1),
    metricsDays: int(1),
    insightsDays: int(1),
    alertsDays: int(1),
    overlayAuditDays: int(1),
    // Completed erasure audit rows (no personal data), counted from finished_at.
    erasureAuditDays: int(1),
    schedule: cron,
  }),
  // Keys of the schemas' `sensitive: hash | encrypt` attributes (docs/schemas.md#pii). A schema that
  // uses a treatment whose key is missing stops start-up.
  privacy: obj({
    // HMAC-SHA-256 master secret; each tenant hashes with HMAC(hashSecret, "pii-hash:" + tenant id).
    hashSecret: Type.Unsafe<string | null>({ type: ['string', 'null'], minLength: 32 }),
    encryption: obj({
      // AES-256-GCM key new values are encrypted with; older ids stay in `keys` to decrypt.
      activeKeyId: Type.Unsafe<string | null>({ type: ['string', 'null'], pattern: '^[A-Za-z0-9_-]{1,32}$' }),
      keys: Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
        Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' }),
        // A key id outside the pattern is refused rather than ignored.
        { additionalProperties: false },
      ),
    }),
    // After an erasure is requested, the user's new signals are refused per item (422
    // user_suppressed) or stored under a keyed pseudonym instead of the id (docs/privacy.md).
    suppression: obj({ mode: oneOf('refuse', 'pseudonymize') }),
    // The `privacy-erasure` task picks up queued or interrupted erasures; rows per delete statement.
    erasure: obj({ schedule: cron, chunkSize: int(1, 100000) }),
  }),
  // The `anomaly-detection` task (present only when an enabled add-on has anomaly rules).
  alerts: obj({ schedule: cron, batchSize: int(1, 100000) }),
  // The core detectors of the `anomaly-scan` task (docs/anomalies.md).
  anomalies: obj({
    schedule: cron,
    // Length of the interval a detector counts over; intervals are aligned to the epoch.
    intervalMinutes: int(1, 1440),
    // Tenants one scan statement covers.
    tenantBatchSize: int(1, 10000),
    volumeChange: obj({
      ...detectorSettings(),
      // Reference intervals the evaluated one is compared with.
      history: int(3, 500),
      // Which intervals are the reference: the ones just before (none), the same time on earlier
      // days (day) or the same time of week on earlier weeks (week).
      seasonality: oneOf('none', 'day', 'week'),
    }),
    userRate: obj({ ...detectorSettings(), minUsers: int(2) }),
    validationFailureRate: obj({ ...detectorSettings(), history: int(1, 500) }),
  }),
  // Alert delivery (docs/anomalies.md#webhooks).
  webhooks: obj({
    // Lets webhook URLs resolve to private, loopback and link-local addresses (tests, intranets).
    allowPrivateNetworks: Type.Boolean(),
    // The webhook-delivery task; every scan also delivers what it raised.
    schedule: cron,
    maxAttempts: int(1, 100),
    // Wait before attempt n+1: backoffSeconds * 2^(n-1), at most maxBackoffSeconds.
    backoffSeconds: int(1),
    maxBackoffSeconds: int(1),
    timeoutMs: int(100, 120000),
    // Deliveries one run sends at most.
    batchSize: int(1, 10000),
  }),
  // The embedder consumer and semantic search (docs/embeddings.md): which provider embeds the
  // fields a schema's embeddingPolicy selects, and a per-tenant daily budget.
  embeddings: obj({
    provider: oneOf('local', 'openai-compatible'),
    // Signals per embedder batch (one provider call per maxBatchSize texts inside it).
    batchSize: int(1, 10000),
    openaiCompatible: obj({
      // Without /v1 (e.g. https://api.openai.com, http://localhost:11434); required by the provider.
      baseUrl: Type.Unsafe<string | null>({ type: ['string', 'null'], pattern: '^https?://' }),
      model: Type.String({ minLength: 1 }),
      // Bearer key; env BEHAVIOR_EMBEDDINGS_API_KEY. null: no Authorization header (Ollama, vLLM).
      apiKey: nullableString,
      dimensions: int(1, 65536),
      maxBatchSize: int(1, 2048),
      timeoutMs: int(1),
      maxRetries: int(0, 20),
      // US dollars per 1000 tokens, for behavior.embeddings.cost; null: unknown (no cost recorded).
      costPer1kTokens: Type.Unsafe<number | null>({ type: ['number', 'null'], minimum: 0 }),
    }),
    // Per tenant and UTC day; null = no limit. Items past either limit are skipped (reason budget).
    dailyBudget: obj({
      tokens: Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0 }),
      items: Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0 }),
    }),
  }),
});

function detectorSettings() {
  return {
    enabled: Type.Boolean(),
    sensitivity: oneOf('low', 'medium', 'high'),
    // The count (signals, or refusals) below which an interval is never judged.
    minVolume: int(0),
    // How long the condition must stay clear before its open alert resolves itself.
    coolDownMinutes: int(0, 10080),
  };
}

/** The validated `ai.behavior` subtree (without the host's `addOns`). */
export type BehaviorSettings = DeepReadonly<Static<typeof BEHAVIOR_SETTINGS_SCHEMA>>;
