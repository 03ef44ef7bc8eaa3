import type { BehaviorSignalSink, SinkErasureRequest } from '../contracts/behavior-signal-sink.js';
import type { ExternalSignalConsumer, SignalConsumerBatch } from '../contracts/behavior-signal-consumer.js';
import { SignalRejectedError } from '../stream/signal-rejected.error.js';
import { SinkUnavailableError } from '../stream/sink-unavailable.error.js';
import type { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';

/** A sink's consumer name on the signal stream (its checkpoints, its row in /api/admin/consumers). */
export const sinkConsumerName = (sink: string): string => `sink:${sink}`;

export interface SinkConsumerOptions {
  readonly name: string;
  readonly type: string;
  readonly batchSize: number;
  readonly failureWarningMs: number;
}

/**
 * One configured sink as an external consumer of the signal stream: opens the sink on first use
 * (only processes that deliver ever connect), hands it each batch, and records what happened.
 */
export class SignalSinkConsumer implements ExternalSignalConsumer {
  readonly delivery = 'external';
  readonly name: string;
  readonly batchSize: number;
  readonly lingerMs?: number;
  private opening?: Promise<void>;
  private opened = false;

  constructor(
    readonly options: SinkConsumerOptions,
    private readonly sink: BehaviorSignalSink,
    private readonly telemetry: BehaviorTelemetry,
  ) {
    this.name = sinkConsumerName(options.name);
    this.batchSize = options.batchSize;
    this.lingerMs = sink.lingerMs;
  }

  /** Forwards an erasure (opening the sink in a process that does not deliver); null when the sink cannot act on one. */
  async erase(request: SinkErasureRequest): Promise<number | null> {
    if (!this.sink.erase) return null;
    await this.open();
    return this.sink.erase(request);
  }

  async handle(batch: SignalConsumerBatch): Promise<void> {
    const started = performance.now();
    try {
      await this.open();
      await this.sink.deliver(batch);
    } catch (error) {
      this.telemetry.sinkFailed(this.options.name, failureKind(error));
      throw error;
    }
    this.telemetry.sinkDelivered(this.options.name, batch.signals.length, performance.now() - started);
  }

  /** After the last delivery (the stream worker has stopped). */
  async close(): Promise<void> {
    await this.opening?.catch(() => undefined);
    if (this.opened) await this.sink.close?.();
    this.opened = false;
    this.opening = undefined;
  }

  private open(): Promise<void> {
    this.opening ??= (async () => {
      await this.sink.init?.();
      this.opened = true;
    })().catch((error: unknown) => {
      // Tried again with the next batch: a receiver down at start-up is down, not misconfigured.
      this.opening = undefined;
      throw error instanceof SinkUnavailableError
        ? error
        : new SinkUnavailableError(`sink "${this.options.name}" could not start: ${String(error)}`, {
            cause: error,
          });
    });
    return this.opening;
  }
}

function failureKind(error: unknown): 'unavailable' | 'rejected' | 'error' {
  if (error instanceof SinkUnavailableError) return 'unavailable';
  if (error instanceof SignalRejectedError) return 'rejected';
  return 'error';
}
