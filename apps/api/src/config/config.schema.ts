import { COMMERCE_OPTIONS_JSON_SCHEMA } from '@lssm/behavior-commerce';

// The JSON Schema of the whole configuration tree. `additionalProperties: false`
// everywhere so a misspelt key stops start-up instead of being silently ignored.
const obj = (properties: Record<string, unknown>, extra = false) => ({
  type: 'object',
  additionalProperties: extra,
  required: Object.keys(properties),
  properties,
});
const int = (minimum: number, maximum?: number) => ({
  type: 'integer',
  minimum,
  ...(maximum ? { maximum } : {}),
});
const nullableString = { type: ['string', 'null'], minLength: 1 };
const cron = { type: 'string', pattern: '^\\S+( \\S+){4,5}$' };
const names = { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true };

export const configSchema = obj({
  server: obj({
    port: int(0, 65535),
    host: { type: 'string', minLength: 1 },
    bodyLimitBytes: int(1024),
    shutdownTimeoutMs: int(0),
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    metricsPort: { anyOf: [int(0, 65535), { type: 'null' }] },
  }),
  database: obj({
    url: { ...nullableString, pattern: '^postgres(ql)?://' },
    autoMigrate: { type: 'boolean' },
    poolSize: int(1, 500),
    ingestPoolSize: int(1, 100),
    readPoolSize: int(1, 500),
    readStatementTimeoutMs: int(0, 3600000),
    embedded: obj({ port: int(0, 65535) }),
  }),
  redis: obj({ url: { ...nullableString, pattern: '^rediss?://' } }),
  dataDir: { type: 'string', minLength: 1 },
  admin: obj({ key: { ...nullableString, minLength: 16 } }),
  overlays: obj({ keyEncryptionKey: { type: ['string', 'null'], pattern: '^[A-Za-z0-9+/]{43}=$' } }),
  ai: obj({
    behavior: obj({
      schemas: obj({
        starter: { type: 'boolean' },
        path: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      }),
      ingestion: obj({
        maxBatchSize: int(1, 10000),
        maxClockSkewMs: int(0),
        maxAgeDays: int(1, 36500),
        maxFailedPayloadBytes: int(256, 1048576),
        maxQueuedSignals: int(1),
        rateLimit: obj({ enabled: { type: 'boolean' }, requestsPerSecond: int(1), burst: int(1) }),
      }),
      // PostgreSQL is the only signal sink so far; any other value would be accepted and ignored.
      sink: obj({ type: { enum: ['postgres'] } }),
      metrics: obj({
        projectors: names,
        projection: obj({ batchSize: int(1, 50000), pollIntervalMs: int(10) }),
      }),
      insights: obj({
        strategies: names,
        ttlMinutes: int(1),
        computeOnRead: { type: 'boolean' },
        windowDays: int(1, 3650),
      }),
      segmentation: obj({
        strategy: { type: 'string', minLength: 1 },
        thresholds: obj({
          newWithinDays: int(1),
          dormantAfterDays: int(1),
          superEngagedScore: { type: 'number', minimum: 0, maximum: 1 },
        }),
      }),
      processing: obj({
        role: { enum: ['api', 'worker', 'all'] },
        runner: { enum: ['auto', 'in-process', 'bullmq'] },
        concurrency: int(1, 64),
        retry: obj({ attempts: int(1, 100), backoffMs: int(0) }),
        runWaitMs: int(0, 600000),
        bullmq: obj({
          prefix: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' },
          queue: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' },
        }),
        patternDetection: obj({ schedule: cron }),
        segmentation: obj({ schedule: cron }),
      }),
      retention: obj({ signalsDays: int(1), metricsDays: int(1), insightsDays: int(1), schedule: cron }),
      alerts: obj({ schedule: cron, batchSize: int(1, 100000) }),
      // Each add-on publishes the schema of its options; the app adds the switch. Keys other than
      // `enabled` may be left out (the add-on's typed defaults fill them).
      addOns: obj({
        commerce: {
          ...COMMERCE_OPTIONS_JSON_SCHEMA,
          required: ['enabled'],
          properties: { enabled: { type: 'boolean' }, ...COMMERCE_OPTIONS_JSON_SCHEMA.properties },
        },
      }),
    }),
  }),
});
