export * from './behavior-core.tokens.js';
export type * from './contracts/job-runner.js';
export { InProcessJobRunner, type InProcessJobRunnerOptions } from './jobs/in-process-job-runner.js';
export * from './schema/index.js';
