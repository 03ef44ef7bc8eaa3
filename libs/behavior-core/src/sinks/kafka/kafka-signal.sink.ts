import type { BehaviorSignal } from '../../contracts/behavior-signal.js';
import type { BehaviorSignalSink } from '../../contracts/behavior-signal-sink.js';
import type { SignalConsumerBatch } from '../../contracts/behavior-signal-consumer.js';
import { SignalRejectedError } from '../../stream/signal-rejected.error.js';
import { signalRecord } from '../signal-record.js';
import {
  KafkaRecordRejectedError,
  type KafkaProducerFactory,
  type KafkaProducerPort,
  type KafkaRecord,
} from './kafka-producer.port.js';
import type { KafkaSinkSettings } from './kafka-sink.settings.js';

/**
 * The record key: tenant and user (else session), as the stream partitions signals, so Kafka
 * keeps one user's signals in one partition, in order. The separator cannot occur in either id.
 */
export function kafkaKey(signal: BehaviorSignal): string {
  return `${signal.tenantId}\u001f${signal.userId ?? signal.sessionId ?? ''}`;
}

export function kafkaRecord(topic: string, signal: BehaviorSignal): KafkaRecord {
  return {
    topic,
    key: kafkaKey(signal),
    value: JSON.stringify(signalRecord(signal)),
    headers: { id: signal.id, schemaId: signal.schemaId, schemaVersion: String(signal.schemaVersion) },
  };
}

/**
 * Sends each batch as one produce call and resolves once the brokers acknowledged all of it. A
 * broker refusing the records themselves (too large) is pinned on the signal when the batch holds
 * one, as it does once the stream tries signals one at a time, so only that signal is parked.
 */
export class KafkaSignalSink implements BehaviorSignalSink {
  private producer?: KafkaProducerPort;

  constructor(
    private readonly settings: KafkaSinkSettings,
    private readonly name: string,
    private readonly producers: KafkaProducerFactory,
  ) {}

  async init(): Promise<void> {
    this.producer = this.producers(this.settings, this.name);
  }

  async deliver(batch: SignalConsumerBatch): Promise<void> {
    const records = batch.signals.map((s) => kafkaRecord(this.settings.topic, s.signal));
    try {
      await this.producer!.send(records);
    } catch (error) {
      if (error instanceof KafkaRecordRejectedError && batch.signals.length === 1) {
        throw new SignalRejectedError(
          batch.signals[0].signal.id,
          `kafka refused the record: ${error.message}`,
        );
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.close();
  }
}
