import { DatabasePool, isDatabaseUnavailable } from '@lssm/nest-common';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_INGESTION_ELSEWHERE,
  BEHAVIOR_SIGNAL_BATCH_INGESTED,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { BehaviorSignalConsumer } from '../contracts/behavior-signal-consumer.js';
import { PartitionLeaseManager } from './partition-lease.manager.js';
import { PartitionLeaseRepository } from './partition-lease.repository.js';
import { DEFAULT_CONSUMER_BATCH, SignalBatchRunner, type BatchOutcome } from './signal-batch.runner.js';
import { SignalConsumerRegistry } from './signal-consumer.registry.js';
import { SignalStreamRepository } from './signal-stream.repository.js';
import { SinkUnavailableError } from './sink-unavailable.error.js';
import { StreamPacer } from './stream-pacer.js';
import { StreamStatusRepository } from './stream-status.repository.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';

const MAX_BACKOFF_MS = 30_000;
/** Consecutive failures of one consumer on one partition before its signals are tried one by one. */
export const ISOLATE_AFTER_FAILURES = 3;

/** Where one consumer's lanes stand: which partition comes next, which are being worked on. */
interface ConsumerLanes {
  cursor: number;
  /** Partitions in a row found empty; past twice the owned count the lanes idle until woken. */
  quiet: number;
  readonly inFlight: Set<number>;
  /** Partitions whose short batch lingers, and when to look again (epoch ms). */
  readonly notBefore: Map<number, number>;
}

/**
 * Runs every signal consumer over the partitions this process leases, each consumer on its own
 * `stream.lanes` lanes (partitions at a time), so a slow receiver holds up its own sink and
 * nothing else. The batch-ingested event only shortens the wait; a periodic poll finds everything
 * regardless (signals written by other processes included). A consumer failing on a partition
 * backs off there alone; the other consumers and partitions go on.
 */
@Injectable()
export class SignalStreamWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger('SignalStreamWorker');
  private running = false;
  private leases?: PartitionLeaseManager;
  private lanes: Promise<void>[] = [];
  private readonly consumerLanes = new Map<string, ConsumerLanes>();
  private readonly waiters = new Set<() => void>();
  private readonly pauses = new Set<() => void>();
  private readonly failures = new Map<string, { count: number; outages: number; retryAt: number }>();
  private readonly onIngested = () => this.wake();
  private stopObserving?: () => void;

  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    private readonly consumers: SignalConsumerRegistry,
    private readonly batches: SignalBatchRunner,
    private readonly stream: SignalStreamRepository,
    private readonly leaseRepository: PartitionLeaseRepository,
    private readonly status: StreamStatusRepository,
    private readonly telemetry: BehaviorTelemetry,
    private readonly events: EventEmitter2,
    private readonly pacer: StreamPacer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.settings.processing.role !== 'api') await this.start();
    // An API-only process still reports where the consumers stand (read from the database).
    else this.observe();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
    this.stopObserving?.();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The partitions this process works on now. */
  owned(): readonly number[] {
    return this.leases?.owned() ?? [];
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { stream } = this.options.settings;
    this.leases = new PartitionLeaseManager(this.leaseRepository, {
      workerId: this.workerId,
      partitions: stream.partitions,
      ttlMs: stream.leaseTtlMs,
      renewMs: stream.leaseRenewMs,
      onChange: () => this.wake(),
    });
    this.running = true;
    await this.leases.start();
    this.events.on(BEHAVIOR_SIGNAL_BATCH_INGESTED, this.onIngested);
    this.events.on(BEHAVIOR_INGESTION_ELSEWHERE, this.onIngested);
    this.pacer.start();
    this.lanes = this.consumers.all().flatMap((consumer) => {
      const state: ConsumerLanes = { cursor: 0, quiet: 0, inFlight: new Set(), notBefore: new Map() };
      this.consumerLanes.set(consumer.name, state);
      return Array.from({ length: stream.lanes }, () => this.lane(consumer, state));
    });
    this.observe();
    this.logger.log(
      `worker ${this.workerId}: consumers ${this.consumers
        .all()
        .map((c) => `${c.name} (${c.delivery})`)
        .join(', ')}`,
    );
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopObserving?.();
    this.stopObserving = undefined;
    this.events.off(BEHAVIOR_SIGNAL_BATCH_INGESTED, this.onIngested);
    this.events.off(BEHAVIOR_INGESTION_ELSEWHERE, this.onIngested);
    this.pacer.stop();
    this.wake();
    for (const resume of this.pauses) resume();
    await Promise.all(this.lanes);
    this.consumerLanes.clear();
    await this.leases?.stop();
  }

  private observe(): void {
    this.stopObserving ??= this.telemetry.observeStream(() =>
      this.status.status(this.consumers.all().map((c) => c.name)),
    );
  }

  wake(): void {
    for (const state of this.consumerLanes.values()) state.quiet = 0;
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  /**
   * Runs the named consumers (all by default) over every partition until caught up, waiting for
   * batches other processes hold (tests, the CLI, "run now" jobs). Returns signals consumed.
   */
  async drain(names?: readonly string[]): Promise<number> {
    const consumers = names ? this.consumers.byName(names) : this.consumers.all();
    const outcomes = await this.drainWithResults(consumers);
    return outcomes.reduce((n, o) => n + o.signals, 0);
  }

  /** As drain, keeping each batch's outcome (what the consumer's handle returned). */
  async drainWithResults(consumers: readonly BehaviorSignalConsumer[]): Promise<BatchOutcome[]> {
    await this.leaseRepository.ensurePartitions(this.options.settings.stream.partitions);
    const partitions = await this.stream.partitions(this.db.background);
    const outcomes: BatchOutcome[] = [];
    for (const consumer of consumers) {
      for (const partition of partitions) {
        for (;;) {
          const outcome = await this.batches.run(consumer, partition, true);
          if (!outcome || outcome.signals === 0) break;
          outcomes.push(outcome);
        }
      }
    }
    return outcomes;
  }

  private async lane(consumer: BehaviorSignalConsumer, state: ConsumerLanes): Promise<void> {
    const poll = this.options.settings.stream.pollIntervalMs;
    while (this.running) {
      const partition = this.nextPartition(state);
      if (partition === undefined || state.quiet >= this.owned().length * 2) {
        await this.idle(this.idleTime(state, poll));
        state.quiet = 0;
        continue;
      }
      state.inFlight.add(partition);
      const started = performance.now();
      let busy = false;
      try {
        const outcome = await this.work(consumer, partition);
        busy = outcome.busy;
        state.quiet = busy ? 0 : state.quiet + 1;
        // Not read again before then: re-reading a lingering batch costs the database more than
        // a full batch waiting out the rest of the linger costs in lag.
        if (outcome.lingerUntil) state.notBefore.set(partition, outcome.lingerUntil);
      } finally {
        state.inFlight.delete(partition);
      }
      if (busy) await this.pause(this.pacer.pauseAfter(performance.now() - started));
    }
  }

  /** Unlike idle, not cut short by new signals: only stopping ends it. */
  private pause(ms: number): Promise<void> {
    return ms > 0 && this.running ? this.sleep(ms, this.pauses) : Promise.resolve();
  }

  /** Until the next poll, or sooner when a lingering batch may go. */
  private idleTime(state: ConsumerLanes, poll: number): number {
    let ms = poll;
    for (const at of state.notBefore.values()) ms = Math.min(ms, at - Date.now());
    return Math.max(1, ms);
  }

  private nextPartition(state: ConsumerLanes): number | undefined {
    const owned = this.owned();
    const now = Date.now();
    for (let i = 0; i < owned.length; i++) {
      const partition = owned[(state.cursor + i) % owned.length];
      const notBefore = state.notBefore.get(partition);
      if (notBefore !== undefined) {
        if (notBefore > now) continue;
        state.notBefore.delete(partition);
      }
      if (!state.inFlight.has(partition)) {
        state.cursor = (state.cursor + i + 1) % owned.length;
        return partition;
      }
    }
    return undefined;
  }

  /** One batch of the consumer on the partition; busy when it took signals. */
  private async work(
    consumer: BehaviorSignalConsumer,
    partition: number,
  ): Promise<{ busy: boolean; lingerUntil?: number }> {
    const key = `${consumer.name}#${partition}`;
    const failed = this.failures.get(key);
    if (failed && failed.retryAt > Date.now()) return { busy: false };
    try {
      if (failed && failed.count >= ISOLATE_AFTER_FAILURES) {
        const consumed = await this.isolate(consumer, partition);
        this.failures.delete(key);
        return { busy: consumed > 0 };
      }
      const outcome = await this.batches.run(consumer, partition, false);
      this.failures.delete(key);
      return { busy: (outcome?.signals ?? 0) > 0, lingerUntil: outcome?.lingerUntil };
    } catch (error) {
      // An outage is nobody's signal: wait it out without moving towards parking. A receiver
      // that is down waits longer each time; the database's return is awaited at a steady pace.
      const outage = isDatabaseUnavailable(error) || error instanceof SinkUnavailableError;
      const count = (failed?.count ?? 0) + (outage ? 0 : 1);
      const outages = (failed?.outages ?? 0) + (error instanceof SinkUnavailableError ? 1 : 0);
      const delay = Math.min(
        MAX_BACKOFF_MS,
        this.options.settings.stream.pollIntervalMs * 2 ** Math.max(1, Math.min(count + outages, 16)),
      );
      this.failures.set(key, { count, outages, retryAt: Date.now() + delay });
      this.logger.error(
        `consumer ${consumer.name} failed on partition ${partition} (retry in ${delay} ms): ${String(error)}`,
      );
      await this.status.recordFailure(consumer.name, partition, String(error)).catch(() => undefined);
      return { busy: false };
    }
  }

  /**
   * After repeated failures: the next batch's worth of signals one at a time, so a signal the
   * consumer refuses every time is parked and the rest go through.
   */
  private async isolate(consumer: BehaviorSignalConsumer, partition: number): Promise<number> {
    let consumed = 0;
    for (let i = 0; i < (consumer.batchSize ?? DEFAULT_CONSUMER_BATCH) && this.running; i++) {
      const outcome = await this.batches.isolate(consumer, partition);
      if (outcome.signals === 0) break;
      consumed += outcome.signals;
      if (outcome.parked) {
        this.logger.warn(`consumer ${consumer.name} parked a signal on partition ${partition}`);
      }
    }
    return consumed;
  }

  private idle(ms: number): Promise<void> {
    return this.sleep(ms, this.waiters);
  }

  /** Resolves after `ms`, or earlier when a caller resolves everything in `cut`. */
  private sleep(ms: number, cut: Set<() => void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        cut.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      cut.add(done);
    });
  }
}
