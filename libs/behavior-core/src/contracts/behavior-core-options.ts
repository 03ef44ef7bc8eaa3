/** The `ai.behavior` configuration subtree the core reads (validated by the app). */
export interface BehaviorSettings {
  readonly schemas: {
    /** Load the starter set shipped with the core (`STARTER_SCHEMA_DIR`). */
    readonly starter: boolean;
    /** The user's directories, layered after the starter set and the add-ons' (resolved against the working directory). */
    readonly path: readonly string[];
  };
  readonly ingestion: {
    readonly maxBatchSize: number;
    readonly maxClockSkewMs: number;
    /** Oldest accepted timestamp, in days before now. */
    readonly maxAgeDays: number;
    /** Larger rejected items are kept in failed_signals as a truncated preview. */
    readonly maxFailedPayloadBytes: number;
    /** Items waiting for the group commit at most; beyond it ingestion answers 503 overloaded. */
    readonly maxQueuedSignals: number;
    readonly rateLimit: {
      readonly enabled: boolean;
      readonly requestsPerSecond: number;
      readonly burst: number;
    };
  };
  readonly sink: { readonly type: string };
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
    readonly bullmq: { readonly prefix: string; readonly queue: string };
    readonly patternDetection: { readonly schedule: string };
    readonly segmentation: { readonly schedule: string };
  };
  readonly retention: {
    readonly signalsDays: number;
    readonly metricsDays: number;
    readonly insightsDays: number;
    /** Cron of the `retention` task. */
    readonly schedule: string;
  };
}

export interface BehaviorCoreOptions {
  readonly settings: BehaviorSettings;
  readonly databaseUrl: string;
  readonly poolSize?: number;
  /** Connections only the signal sink uses (default 3), so reads and jobs never starve ingestion. */
  readonly ingestPoolSize?: number;
  /** Connections for API reads (default 5), each session with `readStatementTimeoutMs`. */
  readonly readPoolSize?: number;
  /** statement_timeout of API reads in ms (default 15000); 0 = none. */
  readonly readStatementTimeoutMs?: number;
}

/** Injected so tests and replays can pin "now". */
export interface Clock {
  now(): Date;
}
