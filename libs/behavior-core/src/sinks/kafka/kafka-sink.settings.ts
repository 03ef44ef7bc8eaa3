import { Type, type Static } from 'typebox';
import { int, obj, oneOf } from '../../config/config-schema.builders.js';
import type { SignalSinkTypeSpec } from '../../contracts/behavior-signal-sink.js';

export const KAFKA_SINK = 'kafka';

export const KAFKA_SETTINGS_SCHEMA = obj({
  // host:port of one or more brokers to bootstrap from.
  brokers: Type.Array(Type.String({ pattern: '^[^\\s:/]+:[0-9]{1,5}$' }), { minItems: 1, uniqueItems: true }),
  topic: Type.String({ pattern: '^[A-Za-z0-9._-]{1,249}$' }),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  tls: Type.Optional(Type.Boolean()),
  sasl: Type.Optional(
    obj({
      mechanism: oneOf('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'),
      username: Type.String({ minLength: 1 }),
      password: Type.String(),
    }),
  ),
  // How long one send may take (the client retries inside it) before the batch counts as failed.
  timeoutMs: Type.Optional(int(100, 600000)),
});

export type KafkaSinkSettings = Static<typeof KAFKA_SETTINGS_SCHEMA>;

export const KAFKA_DEFAULTS = { clientId: 'lssm-behavior', timeoutMs: 30_000 } as const;

export const KAFKA_SINK_TYPE: SignalSinkTypeSpec = {
  type: KAFKA_SINK,
  settingsSchema: KAFKA_SETTINGS_SCHEMA,
};
