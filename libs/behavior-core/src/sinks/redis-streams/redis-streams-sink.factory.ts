import { Inject, Injectable } from '@nestjs/common';
import { BEHAVIOR_CORE_MODULE_OPTIONS } from '../../behavior-core.tokens.js';
import type { BehaviorCoreModuleOptions } from '../../contracts/behavior-add-on.js';
import type { BehaviorSignalSinkFactory } from '../../contracts/behavior-signal-sink.js';
import { RegisterSignalSink } from '../signal-sink.decorator.js';
import { RedisStreamsSink } from './redis-streams.sink.js';
import {
  REDIS_STREAMS_DEFAULTS,
  REDIS_STREAMS_SINK_TYPE,
  type RedisStreamsSinkSettings,
} from './redis-streams-sink.settings.js';

/** `type: redis-streams`: one RedisStreamsSink per configured entry. */
@RegisterSignalSink()
@Injectable()
export class RedisStreamsSinkFactory implements BehaviorSignalSinkFactory<RedisStreamsSinkSettings> {
  readonly type = REDIS_STREAMS_SINK_TYPE.type;
  readonly settingsSchema = REDIS_STREAMS_SINK_TYPE.settingsSchema;
  readonly settingsProblems = REDIS_STREAMS_SINK_TYPE.settingsProblems;

  constructor(
    @Inject(BEHAVIOR_CORE_MODULE_OPTIONS) private readonly moduleOptions: BehaviorCoreModuleOptions,
  ) {}

  create(settings: RedisStreamsSinkSettings, name: string): RedisStreamsSink {
    // The registry checked settingsProblems first: a url is here or in redis.url.
    const url = settings.url ?? this.moduleOptions.redisUrl!;
    return new RedisStreamsSink({
      name,
      url,
      stream: settings.stream ?? REDIS_STREAMS_DEFAULTS.stream,
      maxLen: settings.maxLen ?? REDIS_STREAMS_DEFAULTS.maxLen,
    });
  }
}
