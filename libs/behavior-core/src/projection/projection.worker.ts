import { DatabasePool, transaction, type TransactionScope } from '@lssm/nest-common';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type pg from 'pg';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_SIGNAL_BATCH_INGESTED,
  SCHEMA_REGISTRY,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import { MetricProjectorRegistry } from '../metrics/metric-projector.registry.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { MetricRepository } from '../metrics/metric.repository.js';
import type { ProjectedSignalRow } from '../stream/projected-signal.js';
import { SignalStreamRepository } from '../stream/signal-stream.repository.js';
import { MetricDeltaAccumulator } from './metric-delta.accumulator.js';
import { runProjectors } from './signal-projector.runner.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';
import { Traced } from '../telemetry/behavior-tracer.js';

/** The metric projection's name as a consumer of the signal stream. */
export const METRICS_CHECKPOINT = 'metrics';

export interface ProjectionBatchResult {
  /** false when another process holds the checkpoint (it is projecting). */
  readonly acquired: boolean;
  readonly signals: number;
}

/**
 * Durable metric projection: each batch reads committed signals after the checkpoint,
 * runs the projectors and writes metrics and the new checkpoint in ONE transaction, so a
 * crash at any point either keeps the whole batch or none of it. The batch-ingested event
 * only shortens the wait; a periodic poll finds everything regardless. Several processes
 * may run it: the checkpoint row lock (SKIP LOCKED) lets one project at a time.
 */
@Injectable()
export class ProjectionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProjectionWorker');
  private running = false;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private wakeUp?: () => void;
  private pendingWake = false;
  private readonly onIngested = () => this.wake();

  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    @Inject(SCHEMA_REGISTRY) private readonly schemas: SchemaRegistry,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    private readonly projectors: MetricProjectorRegistry,
    private readonly stream: SignalStreamRepository,
    private readonly metrics: MetricRepository,
    private readonly events: EventEmitter2,
    private readonly telemetry: BehaviorTelemetry,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.settings.processing.role !== 'api') this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.events.on(BEHAVIOR_SIGNAL_BATCH_INGESTED, this.onIngested);
    this.loop = this.run();
    this.logger.log(
      `projecting with ${
        this.projectors
          .active()
          .map((p) => p.name)
          .join(', ') || 'no projectors'
      }`,
    );
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.events.off(BEHAVIOR_SIGNAL_BATCH_INGESTED, this.onIngested);
    this.wake();
    await this.loop;
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** Projects until caught up (tests, benchmarks, the CLI). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.projectBatch();
      if (!batch.acquired) {
        await sleep(20);
        continue;
      }
      if (batch.signals === 0) return total;
      total += batch.signals;
    }
  }

  async projectBatch(): Promise<ProjectionBatchResult> {
    const settings = this.options.settings.metrics;
    return transaction(this.db.background, async (client, tx) => {
      const checkpoint = await this.stream.tryLockCheckpoint(client, METRICS_CHECKPOINT);
      if (!checkpoint) {
        await tx.rollback();
        return { acquired: false, signals: 0 };
      }
      const batch = await this.stream.nextSignals(client, checkpoint, settings.projection.batchSize);
      if (batch.length === 0) {
        await tx.rollback();
        return { acquired: true, signals: 0 };
      }
      await this.commitBatch(client, tx, batch);
      return { acquired: true, signals: batch.length };
    });
  }

  /**
   * The write phase of a batch, traced as one span with its queries: an idle poll (nothing
   * to project) makes no span, so polling does not fill the traces.
   */
  @Traced('behavior.projection.batch', (signals: number) => ({ 'behavior.signal.count': signals }))
  private async commitBatch(
    client: pg.PoolClient,
    tx: TransactionScope,
    batch: readonly ProjectedSignalRow[],
  ): Promise<number> {
    const acc = new MetricDeltaAccumulator();
    const spent = runProjectors(
      acc,
      batch.map((b) => b.signal),
      this.projectors.active(),
      this.schemas,
      (projector, signal, error) =>
        this.logger.warn(`projector ${projector} failed on signal ${signal.id}: ${String(error)}`),
    );
    await this.metrics.writeDeltas(client, acc);
    await this.stream.advanceCheckpoint(client, METRICS_CHECKPOINT, batch[batch.length - 1], batch.length);
    await tx.commit();
    this.telemetry.projectorsRan(spent);
    this.telemetry.batchProjected(Math.min(...batch.map((b) => b.ingestedAtMs)));
    return batch.length;
  }

  private async run(): Promise<void> {
    const poll = this.options.settings.metrics.projection.pollIntervalMs;
    let failures = 0;
    while (this.running) {
      this.pendingWake = false;
      let busy = false;
      try {
        const batch = await this.projectBatch();
        busy = batch.acquired && batch.signals > 0;
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.error(`projection batch failed (retrying): ${String(error)}`);
        await sleep(Math.min(30_000, poll * 2 ** Math.min(failures, 5)));
        continue;
      }
      if (busy || !this.running) continue;
      if (this.pendingWake) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, poll);
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
