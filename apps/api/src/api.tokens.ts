export const APP_CONFIG = Symbol('APP_CONFIG');
export const TELEMETRY = Symbol('TELEMETRY');
export const JOB_RUNNER_HEALTH = Symbol('JOB_RUNNER_HEALTH');
export const REDIS_HEALTH = Symbol('REDIS_HEALTH');
