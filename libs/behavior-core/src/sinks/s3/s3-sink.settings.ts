import { Type, type Static } from 'typebox';
import { int, obj } from '../../config/config-schema.builders.js';
import type { SignalSinkTypeSpec } from '../../contracts/behavior-signal-sink.js';

export const S3_SINK = 's3';

export const S3_SETTINGS_SCHEMA = obj({
  bucket: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
  // Prepended to every key as is; end it with '/' to make it a folder.
  prefix: Type.Optional(Type.String({ maxLength: 512 })),
  // Omitted for AWS; MinIO, R2 or any S3-protocol server otherwise.
  endpoint: Type.Optional(Type.String({ pattern: '^https?://' })),
  region: Type.Optional(Type.String({ minLength: 1 })),
  // MinIO and local servers usually need path-style URLs (http://host/bucket/key).
  forcePathStyle: Type.Optional(Type.Boolean()),
  // Omitted: the AWS SDK's default chain (environment, profile, instance role).
  credentials: Type.Optional(
    obj({ accessKeyId: Type.String({ minLength: 1 }), secretAccessKey: Type.String({ minLength: 1 }) }),
  ),
  flush: Type.Optional(
    obj({
      // Uncompressed NDJSON bytes per object at most; a larger group is split into several objects.
      maxBytes: Type.Optional(int(1024, 5 * 1024 * 1024 * 1024)),
      // A delivery short of batchSize waits until its oldest signal is this old (docs/sinks.md).
      maxAgeMs: Type.Optional(int(0, 3_600_000)),
    }),
  ),
  // How long one PUT may take before the sink counts as unavailable.
  timeoutMs: Type.Optional(int(100, 600_000)),
  // Hybrid: PostgreSQL keeps signals this many days (hot), this bucket keeps the cold copy; retention
  // drops a signal from PostgreSQL only after this sink delivered it (one s3 sink at most sets it).
  hotDays: Type.Optional(int(1, 36500)),
});

export type S3SinkSettings = Static<typeof S3_SETTINGS_SCHEMA>;

export const S3_DEFAULTS = {
  prefix: '',
  region: 'us-east-1',
  forcePathStyle: false,
  maxBytes: 8 * 1024 * 1024,
  maxAgeMs: 10_000,
  timeoutMs: 30_000,
} as const;

/** The type as data, so the configuration is checked before anything starts. */
export const S3_SINK_TYPE: SignalSinkTypeSpec = {
  type: S3_SINK,
  settingsSchema: S3_SETTINGS_SCHEMA,
};
