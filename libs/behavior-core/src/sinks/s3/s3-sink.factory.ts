import { Injectable } from '@nestjs/common';
import type { BehaviorSignalSinkFactory } from '../../contracts/behavior-signal-sink.js';
import { RegisterSignalSink } from '../signal-sink.decorator.js';
import { S3SignalSink } from './s3.sink.js';
import { S3_DEFAULTS, S3_SINK_TYPE, type S3SinkSettings } from './s3-sink.settings.js';

/** `type: s3`: one S3SignalSink per configured entry. */
@RegisterSignalSink()
@Injectable()
export class S3SinkFactory implements BehaviorSignalSinkFactory<S3SinkSettings> {
  readonly type = S3_SINK_TYPE.type;
  readonly settingsSchema = S3_SINK_TYPE.settingsSchema;

  create(settings: S3SinkSettings, name: string): S3SignalSink {
    return new S3SignalSink({
      name,
      bucket: settings.bucket,
      prefix: settings.prefix ?? S3_DEFAULTS.prefix,
      endpoint: settings.endpoint,
      region: settings.region ?? S3_DEFAULTS.region,
      forcePathStyle: settings.forcePathStyle ?? S3_DEFAULTS.forcePathStyle,
      credentials: settings.credentials,
      maxBytes: settings.flush?.maxBytes ?? S3_DEFAULTS.maxBytes,
      maxAgeMs: settings.flush?.maxAgeMs ?? S3_DEFAULTS.maxAgeMs,
      timeoutMs: settings.timeoutMs ?? S3_DEFAULTS.timeoutMs,
    });
  }
}
