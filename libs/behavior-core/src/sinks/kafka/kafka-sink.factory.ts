import { Inject, Injectable } from '@nestjs/common';
import { KAFKA_PRODUCER_FACTORY } from '../../behavior-core.tokens.js';
import type { BehaviorSignalSinkFactory } from '../../contracts/behavior-signal-sink.js';
import { RegisterSignalSink } from '../signal-sink.decorator.js';
import { KafkaSignalSink } from './kafka-signal.sink.js';
import type { KafkaProducerFactory } from './kafka-producer.port.js';
import { KAFKA_SINK_TYPE, type KafkaSinkSettings } from './kafka-sink.settings.js';

/** `type: kafka`: one KafkaSignalSink per configured entry. */
@RegisterSignalSink()
@Injectable()
export class KafkaSinkFactory implements BehaviorSignalSinkFactory<KafkaSinkSettings> {
  readonly type = KAFKA_SINK_TYPE.type;
  readonly settingsSchema = KAFKA_SINK_TYPE.settingsSchema;

  constructor(@Inject(KAFKA_PRODUCER_FACTORY) private readonly producers: KafkaProducerFactory) {}

  create(settings: KafkaSinkSettings, name: string): KafkaSignalSink {
    return new KafkaSignalSink(settings, name, this.producers);
  }
}
