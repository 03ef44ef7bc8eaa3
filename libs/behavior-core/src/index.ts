export * from './behavior-core.tokens.js';
export type * from './contracts/job-runner.js';
export { InProcessJobRunner, type InProcessJobRunnerOptions } from './jobs/in-process-job-runner.js';
export * from './schema/index.js';
export type * from './contracts/behavior-signal.js';
export type * from './contracts/behavior-signal-sink.js';
export type * from './contracts/behavior-core-options.js';
export { BehaviorCoreModule } from './behavior-core.module.js';
export { PostgresSignalSink } from './sinks/postgres-signal.sink.js';
export { GroupCommitQueue } from './sinks/group-commit.queue.js';
export {
  SignalIngestionService,
  type IngestItemResult,
  type SignalBatchIngestedEvent,
} from './ingestion/signal-ingestion.service.js';
export { isDatabaseUnavailable, databaseUnavailable } from './database/database-unavailable.js';
export * from './nest/auth.decorators.js';
