import type { CommerceOptionsInput } from '@lssm/behavior-commerce';

/** The validated, frozen configuration tree (config/default.yaml documents every key). */
export interface AppConfig {
  readonly server: {
    readonly port: number;
    readonly host: string;
    readonly bodyLimitBytes: number;
    readonly shutdownTimeoutMs: number;
    readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    /** Port of a worker process's own GET /metrics (the API serves it on `port`); null = none. */
    readonly metricsPort: number | null;
  };
  readonly database: {
    readonly url: string | null;
    readonly autoMigrate: boolean;
    readonly poolSize: number;
    readonly ingestPoolSize: number;
    readonly readPoolSize: number;
    readonly readStatementTimeoutMs: number;
    readonly embedded: { readonly port: number };
  };
  readonly redis: { readonly url: string | null };
  readonly dataDir: string;
  readonly admin: { readonly key: string | null };
  /** keyEncryptionKey: base64 of 32 bytes; see config/default.yaml. */
  readonly overlays: { readonly keyEncryptionKey: string | null };
  readonly ai: { readonly behavior: BehaviorConfig };
}

export interface BehaviorConfig {
  readonly schemas: { readonly starter: boolean; readonly path: readonly string[] };
  readonly ingestion: {
    readonly maxBatchSize: number;
    readonly maxClockSkewMs: number;
    readonly maxAgeDays: number;
    readonly maxFailedPayloadBytes: number;
    readonly maxQueuedSignals: number;
    readonly rateLimit: {
      readonly enabled: boolean;
      readonly requestsPerSecond: number;
      readonly burst: number;
    };
  };
  readonly sink: { readonly type: 'postgres' };
  readonly metrics: {
    readonly projectors: readonly string[];
    readonly projection: { readonly batchSize: number; readonly pollIntervalMs: number };
  };
  readonly insights: {
    readonly strategies: readonly string[];
    readonly ttlMinutes: number;
    readonly computeOnRead: boolean;
    readonly windowDays: number;
  };
  readonly segmentation: {
    readonly strategy: string;
    readonly thresholds: {
      readonly newWithinDays: number;
      readonly dormantAfterDays: number;
      readonly superEngagedScore: number;
    };
  };
  readonly processing: {
    readonly role: 'api' | 'worker' | 'all';
    readonly runner: 'auto' | 'in-process' | 'bullmq';
    readonly concurrency: number;
    readonly retry: { readonly attempts: number; readonly backoffMs: number };
    /** How long POST /jobs/{name}/run waits for the outcome before answering 202 with the run id. */
    readonly runWaitMs: number;
    readonly bullmq: { readonly prefix: string; readonly queue: string };
    readonly patternDetection: { readonly schedule: string };
    readonly segmentation: { readonly schedule: string };
  };
  readonly retention: {
    readonly signalsDays: number;
    readonly metricsDays: number;
    readonly insightsDays: number;
    readonly schedule: string;
  };
  /** The `anomaly-detection` task (present only when an enabled add-on has anomaly rules). */
  readonly alerts: { readonly schedule: string; readonly batchSize: number };
  readonly addOns: { readonly commerce: { readonly enabled: boolean } & CommerceOptionsInput };
}
