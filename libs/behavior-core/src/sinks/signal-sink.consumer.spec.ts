import type { BehaviorSignalSink } from '../contracts/behavior-signal-sink';
import type { SignalConsumerBatch } from '../contracts/behavior-signal-consumer';
import { SinkUnavailableError } from '../stream/sink-unavailable.error';
import type { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service';
import { SignalSinkConsumer } from './signal-sink.consumer';

const OPTIONS = { name: 'stream', type: 'test', batchSize: 10, failureWarningMs: 1000 };
const BATCH = { partition: 0, signals: [{}, {}] } as unknown as SignalConsumerBatch;

function recorder() {
  const events: string[] = [];
  const telemetry = {
    sinkDelivered: (sink: string, n: number) => events.push(`delivered ${sink} ${n}`),
    sinkFailed: (sink: string, kind: string) => events.push(`failed ${sink} ${kind}`),
  } as unknown as BehaviorTelemetry;
  return { events, telemetry };
}

describe('SignalSinkConsumer', () => {
  it('is the external consumer sink:<name> with the configured batch size', () => {
    const consumer = new SignalSinkConsumer(
      OPTIONS,
      { deliver: async () => undefined },
      recorder().telemetry,
    );
    expect(consumer).toMatchObject({ name: 'sink:stream', delivery: 'external', batchSize: 10 });
  });

  it('opens the sink before its first delivery, again after a failed open (as unavailable), and closes it once', async () => {
    const calls: string[] = [];
    let refuse = true;
    const sink: BehaviorSignalSink = {
      init: async () => {
        calls.push('init');
        if (refuse) throw new Error('ECONNREFUSED');
      },
      deliver: async () => void calls.push('deliver'),
      close: async () => void calls.push('close'),
    };
    const { events, telemetry } = recorder();
    const consumer = new SignalSinkConsumer(OPTIONS, sink, telemetry);

    await expect(consumer.handle(BATCH)).rejects.toBeInstanceOf(SinkUnavailableError);
    refuse = false;
    await consumer.handle(BATCH);
    await consumer.handle(BATCH);
    await consumer.close();
    await consumer.close();
    expect(calls).toEqual(['init', 'init', 'deliver', 'deliver', 'close']);
    expect(events).toEqual(['failed stream unavailable', 'delivered stream 2', 'delivered stream 2']);
  });

  it('never closes a sink it never opened', async () => {
    const close = jest.fn();
    const consumer = new SignalSinkConsumer(
      OPTIONS,
      { deliver: async () => undefined, close },
      recorder().telemetry,
    );
    await consumer.close();
    expect(close).not.toHaveBeenCalled();
  });

  it('passes a delivery failure through unchanged, counted by kind', async () => {
    const { events, telemetry } = recorder();
    const boom = new Error('WRONGTYPE');
    const consumer = new SignalSinkConsumer(
      OPTIONS,
      {
        deliver: async () => {
          throw boom;
        },
      },
      telemetry,
    );
    await expect(consumer.handle(BATCH)).rejects.toBe(boom);
    expect(events).toEqual(['failed stream error']);
  });
});
