export const APP_CONFIG = Symbol('APP_CONFIG');
export const TELEMETRY = Symbol('TELEMETRY');
