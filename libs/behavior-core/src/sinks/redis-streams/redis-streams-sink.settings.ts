import { Type, type Static } from 'typebox';
import { int, obj } from '../../config/config-schema.builders.js';
import type { SignalSinkTypeSpec } from '../../contracts/behavior-signal-sink.js';

export const REDIS_STREAMS_SINK = 'redis-streams';

export const REDIS_STREAMS_SETTINGS_SCHEMA = obj({
  // Default: the service's redis.url.
  url: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  // `{tenant}` is replaced by the signal's tenant; without it every signal goes to one stream.
  stream: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  // XADD ... MAXLEN ~ maxLen: Redis trims whole nodes, so a stream holds at least this many entries.
  maxLen: Type.Optional(int(1)),
});

export type RedisStreamsSinkSettings = Static<typeof REDIS_STREAMS_SETTINGS_SCHEMA>;

export const REDIS_STREAMS_DEFAULTS = { stream: 'behavior:{tenant}', maxLen: 1_000_000 } as const;

/** The type as data, so the configuration is checked before anything starts. */
export const REDIS_STREAMS_SINK_TYPE: SignalSinkTypeSpec = {
  type: REDIS_STREAMS_SINK,
  settingsSchema: REDIS_STREAMS_SETTINGS_SCHEMA,
  settingsProblems: (settings, service) =>
    settings.url === undefined && !service.redisUrl
      ? ['url: required when redis.url (REDIS_URL) is not set']
      : [],
};
