import type { BehaviorSettings } from '../config/behavior-settings.schema.js';

export type { BehaviorSettings };

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
  /** Resolved against the process working directory. */
  readonly schemaDirs?: readonly string[];
}

/** Injected so tests and replays can pin "now". */
export interface Clock {
  now(): Date;
}
