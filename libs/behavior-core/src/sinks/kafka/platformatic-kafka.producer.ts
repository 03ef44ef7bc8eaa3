import { findErrorBy, Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import { SinkUnavailableError } from '../../stream/sink-unavailable.error.js';
import type { KafkaProducerPort, KafkaRecord } from './kafka-producer.port.js';
import { KafkaRecordRejectedError } from './kafka-producer.port.js';
import { KAFKA_DEFAULTS, type KafkaSinkSettings } from './kafka-sink.settings.js';

/** Broker answers about the records themselves, not about the cluster's state. */
const RECORD_ERRORS = ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE'];

/**
 * The producer port on @platformatic/kafka (docs/sinks.md says why this client): idempotent, so
 * the client's own retries never write a record twice and keep per-partition order, with acks
 * from all in-sync replicas. The client retries a few times within one send; after that the send
 * fails and the signal stream's backoff takes over (the same records are sent again later, which
 * can duplicate them in Kafka: receivers deduplicate on the `id` header).
 */
export class PlatformaticKafkaProducer implements KafkaProducerPort {
  private readonly producer: Producer<string, string, string, string>;

  constructor(settings: KafkaSinkSettings, sinkName: string) {
    const timeout = settings.timeoutMs ?? KAFKA_DEFAULTS.timeoutMs;
    this.producer = new Producer({
      clientId: `${settings.clientId ?? KAFKA_DEFAULTS.clientId}:${sinkName}`,
      bootstrapBrokers: [...settings.brokers],
      idempotent: true,
      acks: ProduceAcks.ALL,
      retries: 3,
      timeout,
      connectTimeout: Math.min(timeout, 10_000),
      serializers: stringSerializers,
      ...(settings.tls ? { tls: {} } : {}),
      ...(settings.sasl ? { sasl: { ...settings.sasl } } : {}),
    });
  }

  async send(records: readonly KafkaRecord[]): Promise<void> {
    try {
      await this.producer.send({
        messages: records.map((r) => ({
          topic: r.topic,
          key: r.key,
          value: r.value,
          headers: { ...r.headers },
        })),
      });
    } catch (error) {
      const refused = RECORD_ERRORS.map((id) => findErrorBy(error as Error, 'apiId', id)).find(Boolean);
      if (refused) throw new KafkaRecordRejectedError(refused.message, { cause: error });
      throw new SinkUnavailableError(`kafka: ${(error as Error).message}`, { cause: error });
    }
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
