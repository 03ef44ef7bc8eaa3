/**
 * sysexits' EX_CONFIG: what every entry point exits with on an invalid configuration.
 * In a file of its own because the entry points import it before OpenTelemetry starts, and
 * anything that loads pg or ioredis that early escapes their instrumentation.
 */
export const EX_CONFIG = 78;
