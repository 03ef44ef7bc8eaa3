import { DatabasePool, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import { MetricProjectorRegistry } from '../metrics/metric-projector.registry.js';
import { MetricRepository } from '../metrics/metric.repository.js';
import { SignalStreamRepository } from '../stream/signal-stream.repository.js';
import { METRICS_CONSUMER, MetricProjectionConsumer } from './metric-projection.consumer.js';

export interface MetricReplayRequest {
  readonly tenantId: string;
  /** First UTC day (YYYY-MM-DD) to rebuild; all days when absent. */
  readonly from?: string;
  /** Last UTC day (inclusive). */
  readonly to?: string;
  /** Rebuild only this projector's metrics (backfill after adding one). */
  readonly projector?: string;
}

export interface MetricReplayResult {
  readonly signals: number;
  readonly deletedMetrics: number;
  readonly projectors: readonly string[];
}

const FETCH = 5000;

/**
 * Rebuilds a tenant's metrics from stored signals, exactly as live projection would have:
 * same projectors, same accumulator and writer, and only the signals the live projection
 * already consumed (up to its checkpoint in each partition); later ones are left to it. The
 * checkpoint rows stay locked for the whole rebuild, so live projection waits instead of interleaving.
 * Everything happens in one transaction: a failed replay leaves the old metrics in place.
 */
@Injectable()
export class MetricReplayService {
  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    private readonly projectors: MetricProjectorRegistry,
    private readonly stream: SignalStreamRepository,
    private readonly metrics: MetricRepository,
    private readonly projection: MetricProjectionConsumer,
  ) {}

  async replay(request: MetricReplayRequest): Promise<MetricReplayResult> {
    const projectors = request.projector
      ? [this.projectors.byName(request.projector)]
      : [...this.projectors.active()];
    return transaction(this.db.background, async (client) => {
      await this.stream.lockAllCheckpoints(client, METRICS_CONSUMER);
      const deletedMetrics = await this.metrics.deleteForRebuild(client, request);
      let signals = 0;
      for await (const rows of this.stream.replay(
        client,
        { ...request, consumer: METRICS_CONSUMER },
        FETCH,
      )) {
        await this.projection.project(client, rows, projectors);
        signals += rows.length;
      }
      return { signals, deletedMetrics, projectors: projectors.map((p) => p.name) };
    });
  }
}
