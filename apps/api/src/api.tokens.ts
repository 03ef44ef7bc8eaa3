export const APP_CONFIG = Symbol('APP_CONFIG');
export const TELEMETRY = Symbol('TELEMETRY');
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
