import { DatabasePool, isDatabaseUnavailable, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type { BehaviorSignalConsumer, StreamedSignal } from '../contracts/behavior-signal-consumer.js';
import { ParkedSignalRepository } from './parked-signal.repository.js';
import { SignalRejectedError } from './signal-rejected.error.js';
import { SignalStreamRepository } from './signal-stream.repository.js';

export const DEFAULT_CONSUMER_BATCH = 1000;

export interface BatchOutcome {
  /** Signals the checkpoint moved past (0: nothing new, or an external batch lost a race). */
  readonly signals: number;
  /** What the consumer's handle returned. */
  readonly result?: unknown;
  /** The signal was set aside for this consumer (isolate only). */
  readonly parked?: boolean;
  /** Nothing taken: the batch is short of `batchSize` and lingers until then (epoch ms). */
  readonly lingerUntil?: number;
}

/** When a short batch may go: its oldest signal `lingerMs` old (undefined: now). */
function lingering(consumer: BehaviorSignalConsumer, signals: readonly StreamedSignal[]): number | undefined {
  const linger = consumer.lingerMs ?? 0;
  if (linger <= 0 || signals.length >= (consumer.batchSize ?? DEFAULT_CONSUMER_BATCH)) return undefined;
  const now = Date.now();
  // The database's clock stamped ingestedAt: bounded by this process's, so skew never waits longer.
  const until = Math.min(signals[0].ingestedAtMs + linger, now + linger);
  return until > now ? until : undefined;
}

/**
 * One batch of one consumer on one partition. Transactional: checkpoint lock, read, handle and
 * checkpoint move in one transaction. External: read, deliver, then move the checkpoint only if
 * nobody moved it meanwhile (a lost race delivers twice, never loses).
 */
@Injectable()
export class SignalBatchRunner {
  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    private readonly stream: SignalStreamRepository,
    private readonly parked: ParkedSignalRepository,
  ) {}

  /**
   * `wait`: queue behind a batch another process runs on the same checkpoint (drains); otherwise
   * answer undefined at once (workers move on to other partitions).
   */
  run(consumer: BehaviorSignalConsumer, partition: number, wait: boolean): Promise<BatchOutcome | undefined> {
    return consumer.delivery === 'transactional'
      ? this.transactional(consumer, partition, wait)
      : this.external(consumer, partition, wait);
  }

  /**
   * The next signal alone (after a batch kept failing): if the consumer refuses it, the signal is
   * parked for this consumer and the checkpoint moves past it, so the partition goes on. Outages
   * (database unavailable; for external consumers anything but SignalRejectedError) still throw.
   */
  isolate(consumer: BehaviorSignalConsumer, partition: number): Promise<BatchOutcome> {
    return consumer.delivery === 'transactional'
      ? this.isolateTransactional(consumer, partition)
      : this.isolateExternal(consumer, partition);
  }

  private isolateTransactional(
    consumer: Extract<BehaviorSignalConsumer, { delivery: 'transactional' }>,
    partition: number,
  ): Promise<BatchOutcome> {
    return transaction(this.db.background, async (client, tx) => {
      const checkpoint = await this.stream.lockCheckpoint(client, consumer.name, partition);
      const [signal] = await this.stream.nextSignals(client, partition, checkpoint, 1);
      if (!signal) {
        await tx.rollback();
        return { signals: 0 };
      }
      // The savepoint undoes the consumer's partial writes (and an aborted statement) only.
      await client.query('savepoint consumer_signal');
      let outcome: BatchOutcome;
      try {
        const result = await consumer.handle({ partition, signals: [signal] }, client);
        await client.query('release savepoint consumer_signal');
        outcome = { signals: 1, result };
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        await client.query('rollback to savepoint consumer_signal');
        await this.parked.park(client, consumer.name, signal, String(error));
        outcome = { signals: 1, parked: true };
      }
      await this.stream.advanceCheckpoint(client, consumer.name, partition, signal, 1);
      return outcome;
    });
  }

  private async isolateExternal(
    consumer: Extract<BehaviorSignalConsumer, { delivery: 'external' }>,
    partition: number,
  ): Promise<BatchOutcome> {
    const from = await this.stream.readCheckpoint(this.db.background, consumer.name, partition);
    const [signal] = await this.stream.nextSignals(this.db.background, partition, from, 1);
    if (!signal) return { signals: 0 };
    let rejected: SignalRejectedError | undefined;
    let result: unknown;
    try {
      result = await consumer.handle({ partition, signals: [signal] });
    } catch (error) {
      if (!(error instanceof SignalRejectedError)) throw error;
      rejected = error;
    }
    return transaction(this.db.background, async (client) => {
      const now = await this.stream.lockCheckpoint(client, consumer.name, partition);
      if (now.xid !== from.xid || now.seq !== from.seq) return { signals: 0 };
      if (rejected) await this.parked.park(client, consumer.name, signal, rejected.message);
      await this.stream.advanceCheckpoint(client, consumer.name, partition, signal, 1);
      return { signals: 1, result, parked: rejected !== undefined };
    });
  }

  private transactional(
    consumer: Extract<BehaviorSignalConsumer, { delivery: 'transactional' }>,
    partition: number,
    wait: boolean,
  ): Promise<BatchOutcome | undefined> {
    return transaction(this.db.background, async (client, tx) => {
      const checkpoint = wait
        ? await this.stream.lockCheckpoint(client, consumer.name, partition)
        : await this.stream.tryLockCheckpoint(client, consumer.name, partition);
      if (!checkpoint) {
        await tx.rollback();
        return undefined;
      }
      const signals = await this.stream.nextSignals(
        client,
        partition,
        checkpoint,
        consumer.batchSize ?? DEFAULT_CONSUMER_BATCH,
      );
      const lingerUntil = wait ? undefined : lingering(consumer, signals);
      if (signals.length === 0 || lingerUntil) {
        await tx.rollback();
        return { signals: 0, lingerUntil };
      }
      const result = await consumer.handle({ partition, signals }, client);
      await this.stream.advanceCheckpoint(client, consumer.name, partition, signals.at(-1)!, signals.length);
      return { signals: signals.length, result };
    });
  }

  private async external(
    consumer: Extract<BehaviorSignalConsumer, { delivery: 'external' }>,
    partition: number,
    drain: boolean,
  ): Promise<BatchOutcome> {
    const from = await this.stream.readCheckpoint(this.db.background, consumer.name, partition);
    const signals = await this.stream.nextSignals(
      this.db.background,
      partition,
      from,
      consumer.batchSize ?? DEFAULT_CONSUMER_BATCH,
    );
    if (signals.length === 0) return { signals: 0 };
    const lingerUntil = drain ? undefined : lingering(consumer, signals);
    if (lingerUntil) return { signals: 0, lingerUntil };
    const result = await consumer.handle({ partition, signals });
    const moved = await this.stream.compareAndAdvance(
      this.db.background,
      consumer.name,
      partition,
      from,
      signals.at(-1)!,
      signals.length,
    );
    return { signals: moved ? signals.length : 0, result };
  }
}
