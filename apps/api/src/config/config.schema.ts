import { Type, type Static } from 'typebox';
import { BEHAVIOR_SETTINGS_SCHEMA, ConfigSchema, type BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { addOnsSchema } from './add-ons.schema.js';

// The JSON Schema of the whole configuration tree, composed of the app's own keys, core's
// `ai.behavior` settings and each listed add-on's options. `additionalProperties: false`
// everywhere so a misspelt key stops start-up instead of being silently ignored.
const { obj, int, nullableString, oneOf, typed } = ConfigSchema;

export const configSchema = (addOns: readonly BehaviorAddOnDefinition<any>[]) =>
  obj({
    server: obj({
      port: int(0, 65535),
      host: Type.String({ minLength: 1 }),
      bodyLimitBytes: int(1024),
      shutdownTimeoutMs: int(0),
      logLevel: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
      // Port of a worker process's own GET /metrics (the API serves it on `port`); null = none.
      metricsPort: Type.Union([int(0, 65535), Type.Null()]),
    }),
    database: obj({
      url: { ...nullableString, pattern: '^postgres(ql)?://' },
      autoMigrate: Type.Boolean(),
      poolSize: int(2, 500),
      ingestReserved: int(1, 100),
      readStatementTimeoutMs: int(0, 3600000),
      embedded: obj({ port: int(0, 65535) }),
    }),
    redis: obj({ url: { ...nullableString, pattern: '^rediss?://' } }),
    dataDir: Type.String({ minLength: 1 }),
    admin: obj({ key: { ...nullableString, minLength: 16 } }),
    // keyEncryptionKey: base64 of 32 bytes; see config/default.yaml.
    overlays: obj({
      keyEncryptionKey: typed<string | null>({ type: ['string', 'null'], pattern: '^[A-Za-z0-9+/]{43}=$' }),
    }),
    ai: obj({
      behavior: obj({ ...BEHAVIOR_SETTINGS_SCHEMA.properties, addOns: addOnsSchema(addOns) }),
    }),
  });

/** The validated, frozen configuration tree (config/default.yaml documents every key). */
export type AppConfig = ConfigSchema.DeepReadonly<Static<ReturnType<typeof configSchema>>>;
