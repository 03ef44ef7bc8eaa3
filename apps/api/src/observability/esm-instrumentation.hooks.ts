import { register } from 'import-in-the-middle/register-hooks.mjs';

/**
 * The service is ESM: `import pg from 'pg'` never passes through `require`, where the
 * OpenTelemetry instrumentations hook by default. This adds an in-thread loader hook
 * (import-in-the-middle) for just the modules they patch. Call it, then start telemetry,
 * then import the service dynamically: modules imported before this are not patched.
 */
export function registerEsmInstrumentationHooks(): void {
  register({ include: ['pg', 'pg-pool', 'ioredis', 'http', 'https', 'node:http', 'node:https'] });
}
