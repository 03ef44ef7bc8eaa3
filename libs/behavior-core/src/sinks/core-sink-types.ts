import type { SignalSinkTypeSpec } from '../contracts/behavior-signal-sink.js';
import { KAFKA_SINK_TYPE } from './kafka/kafka-sink.settings.js';
import { REDIS_STREAMS_SINK_TYPE } from './redis-streams/redis-streams-sink.settings.js';
import { S3_SINK_TYPE } from './s3/s3-sink.settings.js';

/** The sink types core registers, as data, so configured sinks are checked before anything starts. */
export const CORE_SIGNAL_SINK_TYPES: readonly SignalSinkTypeSpec[] = [
  REDIS_STREAMS_SINK_TYPE,
  KAFKA_SINK_TYPE,
  S3_SINK_TYPE,
];
