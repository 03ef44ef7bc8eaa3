import { Inject, Injectable, Logger } from '@nestjs/common';
import type pg from 'pg';
import { BEHAVIOR_CORE_OPTIONS, SCHEMA_REGISTRY } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type {
  SignalConsumerBatch,
  StreamedSignal,
  TransactionalSignalConsumer,
} from '../contracts/behavior-signal-consumer.js';
import type { BehaviorMetricProjector } from '../contracts/behavior-metric-projector.js';
import { MetricProjectorRegistry } from '../metrics/metric-projector.registry.js';
import { MetricRepository } from '../metrics/metric.repository.js';
import type { SchemaRegistry } from '../schema/schema-registry.js';
import { RegisterSignalConsumer } from '../stream/signal-consumer.decorator.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';
import { Traced } from '../telemetry/behavior-tracer.js';
import { MetricDeltaAccumulator } from './metric-delta.accumulator.js';
import { runProjectors } from './signal-projector.runner.js';

/** The metric projection's name as a consumer of the signal stream. */
export const METRICS_CONSUMER = 'metrics';

/**
 * Durable metric projection: the enabled projectors turn each batch into metric deltas, summed
 * in memory and written with at most two statements in the batch's transaction, so metrics and
 * the checkpoint commit together and every signal counts exactly once.
 */
@RegisterSignalConsumer()
@Injectable()
export class MetricProjectionConsumer implements TransactionalSignalConsumer {
  readonly name = METRICS_CONSUMER;
  readonly delivery = 'transactional';
  private readonly logger = new Logger('MetricProjection');

  constructor(
    @Inject(SCHEMA_REGISTRY) private readonly schemas: SchemaRegistry,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    private readonly projectors: MetricProjectorRegistry,
    private readonly metrics: MetricRepository,
    private readonly telemetry: BehaviorTelemetry,
  ) {}

  get batchSize(): number {
    return this.options.settings.metrics.projection.batchSize;
  }

  @Traced('behavior.projection.batch', (signals: number) => ({ 'behavior.signal.count': signals }))
  async handle(batch: SignalConsumerBatch, client: pg.PoolClient): Promise<number> {
    const spent = await this.project(client, batch.signals, this.projectors.active());
    this.telemetry.projectorsRan(spent);
    this.telemetry.batchProjected(Math.min(...batch.signals.map((s) => s.ingestedAtMs)));
    return batch.signals.length;
  }

  /**
   * Runs `projectors` over the signals and adds their deltas with at most two statements on
   * `client`: live batches and rebuilds (MetricReplayService) project the same way.
   */
  async project(
    client: pg.PoolClient,
    signals: readonly StreamedSignal[],
    projectors: readonly BehaviorMetricProjector[],
  ): Promise<ReadonlyMap<string, number>> {
    const acc = new MetricDeltaAccumulator();
    const spent = runProjectors(
      acc,
      signals.map((s) => s.signal),
      projectors,
      this.schemas,
      (projector, signal, error) =>
        this.logger.warn(`projector ${projector} failed on signal ${signal.id}: ${String(error)}`),
    );
    await this.metrics.writeDeltas(client, acc);
    return spent;
  }
}
