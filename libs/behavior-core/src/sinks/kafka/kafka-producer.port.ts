import type { KafkaSinkSettings } from './kafka-sink.settings.js';

/** One record as the sink hands it to Kafka. */
export interface KafkaRecord {
  readonly topic: string;
  /** Kafka's partitioner hashes it: one user's records share a partition, so they stay in order. */
  readonly key: string;
  /** The signal record as JSON. */
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What the Kafka sink needs of a client: send records and resolve only once the brokers
 * acknowledged all of them (idempotent producer, acks = all), in the order given for records of
 * one key. Throws `SinkUnavailableError` when the cluster cannot take them now and
 * `KafkaRecordRejectedError` when the broker refuses the records themselves.
 */
export interface KafkaProducerPort {
  send(records: readonly KafkaRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** Makes the producer of one configured sink (replaced in tests: no broker runs here). */
export type KafkaProducerFactory = (settings: KafkaSinkSettings, sinkName: string) => KafkaProducerPort;

/** The broker refused records for what they are (too large, invalid): retrying cannot help. */
export class KafkaRecordRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KafkaRecordRejectedError';
  }
}
