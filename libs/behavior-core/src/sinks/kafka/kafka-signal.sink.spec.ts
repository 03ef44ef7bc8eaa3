import type { BehaviorSignal } from '../../contracts/behavior-signal';
import type { SignalConsumerBatch } from '../../contracts/behavior-signal-consumer';
import { SignalRejectedError } from '../../stream/signal-rejected.error';
import { SinkUnavailableError } from '../../stream/sink-unavailable.error';
import { KafkaRecordRejectedError, type KafkaProducerPort, type KafkaRecord } from './kafka-producer.port';
import { KafkaSignalSink } from './kafka-signal.sink';
import type { KafkaSinkSettings } from './kafka-sink.settings';

const SETTINGS: KafkaSinkSettings = { brokers: ['k:9092'], topic: 'behavior' };

const signal = (
  i: number,
  user: string | null = `u-${i % 3}`,
  session: string | null = null,
): BehaviorSignal => ({
  id: `0190000${i}`,
  tenantId: 'acme',
  userId: user,
  sessionId: session,
  schemaId: 'content.view',
  schemaVersion: 2,
  signalKey: null,
  source: null,
  timestamp: '2026-01-02T03:04:05.678Z',
  ingestedAt: '2026-01-02T03:04:06.000Z',
  attributes: { contentId: `c-${i}` },
});

const batch = (signals: BehaviorSignal[]): SignalConsumerBatch => ({
  partition: 3,
  signals: signals.map((s, i) => ({
    signal: s,
    partition: 3,
    xid: '100',
    seq: String(i + 1),
    ingestedAtMs: Date.parse(s.ingestedAt),
    occurredKey: s.timestamp,
  })),
});

/** A fake producer: no Kafka broker can run on the test machines, so the port is what is tested. */
class FakeProducer implements KafkaProducerPort {
  readonly sends: KafkaRecord[][] = [];
  failWith?: Error;
  closed = 0;
  async send(records: readonly KafkaRecord[]): Promise<void> {
    this.sends.push([...records]);
    if (this.failWith) throw this.failWith;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

async function sinkWith(producer: FakeProducer): Promise<KafkaSignalSink> {
  const sink = new KafkaSignalSink(SETTINGS, 'events', () => producer);
  await sink.init();
  return sink;
}

describe('KafkaSignalSink (fake producer: no Kafka broker can run here)', () => {
  it('sends a batch as one produce call, in stream order, keyed by tenant and user, with schema headers', async () => {
    const producer = new FakeProducer();
    const sink = await sinkWith(producer);
    const signals = [signal(1), signal(2), signal(3, null, 's-9'), signal(4)];
    await sink.deliver(batch(signals));

    expect(producer.sends).toHaveLength(1);
    const records = producer.sends[0];
    expect(records.map((r) => JSON.parse(r.value).id)).toEqual(signals.map((s) => s.id));
    expect(records.map((r) => r.key)).toEqual([
      'acme\u001fu-1',
      'acme\u001fu-2',
      'acme\u001fs-9',
      'acme\u001fu-1',
    ]);
    expect(records[0]).toEqual({
      topic: 'behavior',
      key: 'acme\u001fu-1',
      headers: { id: signals[0].id, schemaId: 'content.view', schemaVersion: '2' },
      value: JSON.stringify({
        id: signals[0].id,
        tenantId: 'acme',
        schemaId: 'content.view',
        schemaVersion: 2,
        userId: 'u-1',
        sessionId: null,
        occurredAt: '2026-01-02T03:04:05.678Z',
        ingestedAt: '2026-01-02T03:04:06.000Z',
        attributes: { contentId: 'c-1' },
      }),
    });
  });

  it('passes an unavailable cluster through as such, so the stream holds the checkpoint and retries', async () => {
    const producer = new FakeProducer();
    producer.failWith = new SinkUnavailableError('kafka: connection refused');
    const sink = await sinkWith(producer);
    await expect(sink.deliver(batch([signal(1)]))).rejects.toBeInstanceOf(SinkUnavailableError);
  });

  it('pins a refused record on its signal only when the batch is that one signal', async () => {
    const producer = new FakeProducer();
    producer.failWith = new KafkaRecordRejectedError('MESSAGE_TOO_LARGE');
    const sink = await sinkWith(producer);
    // Several signals: which one is too large is unknown, so the stream tries them one at a time.
    const many = sink.deliver(batch([signal(1), signal(2)]));
    await expect(many).rejects.toBeInstanceOf(KafkaRecordRejectedError);
    await expect(many).rejects.not.toBeInstanceOf(SignalRejectedError);
    const one = signal(7);
    await expect(sink.deliver(batch([one]))).rejects.toEqual(
      expect.objectContaining({ name: 'SignalRejectedError', signalId: one.id }),
    );
  });

  it('closes its producer once', async () => {
    const producer = new FakeProducer();
    const sink = await sinkWith(producer);
    await sink.close();
    await sink.close();
    expect(producer.closed).toBe(1);
  });
});
