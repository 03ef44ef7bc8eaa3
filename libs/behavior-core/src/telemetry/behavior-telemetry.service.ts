import { Injectable } from '@nestjs/common';
import {
  metrics,
  type BatchObservableCallback,
  type Counter,
  type Histogram,
  type Meter,
  type ObservableGauge,
} from '@opentelemetry/api';
import type { ConsumerPartitionStatus } from '../stream/stream-status.repository.js';

export const BEHAVIOR_METER_NAME = '@lssm/behavior-core';

/**
 * The one place behavior-core records OpenTelemetry metrics. The global meter provider is a
 * no-op until the SDK starts, and an instrument made from it stays a no-op forever; so the
 * instruments are made when Nest builds this provider (the API and the worker start the SDK
 * before that), never at module load. Pass a meter to record elsewhere (tests, other hosts).
 */
@Injectable()
export class BehaviorTelemetry {
  private readonly ingested: Counter;
  private readonly failures: Counter;
  private readonly projectorDuration: Histogram;
  private readonly strategyDuration: Histogram;
  private readonly projectionLag: Histogram;
  private readonly lagSeconds: ObservableGauge;
  private readonly lagSignals: ObservableGauge;
  private readonly consumerFailures: ObservableGauge;
  private readonly parked: ObservableGauge;
  private readonly sinkSignals: Counter;
  private readonly sinkFailures: Counter;
  private readonly sinkBatchDuration: Histogram;
  private readonly embeddingsGeneratedCounter: Counter;
  private readonly embeddingsSkippedCounter: Counter;
  private readonly embeddingTokens: Counter;
  private readonly embeddingCost: Counter;

  constructor(private readonly meter: Meter = metrics.getMeter(BEHAVIOR_METER_NAME)) {
    this.ingested = meter.createCounter('behavior.signals.ingested', { description: 'Signals stored' });
    this.failures = meter.createCounter('behavior.signals.validation.failures', {
      description: 'Signals rejected, by schema and first reason',
    });
    this.projectorDuration = meter.createHistogram('behavior.metrics.projector.duration', {
      description: 'Time a projector spent on one projection batch',
      unit: 'ms',
    });
    this.strategyDuration = meter.createHistogram('behavior.insights.strategy.duration', {
      description: 'Time a strategy spent on one chunk of users',
      unit: 'ms',
    });
    this.projectionLag = meter.createHistogram('behavior.projection.lag', {
      description:
        'Time from ingestion to the commit of the projection batch holding the signal (oldest in batch)',
      unit: 's',
    });
    this.consumerFailures = meter.createObservableGauge('behavior.stream.failures', {
      description: 'Consecutive failed batches of a consumer on a partition (0 after a success)',
    });
    this.parked = meter.createObservableGauge('behavior.stream.parked', {
      description: 'Signals a consumer refused every time and set aside, not replayed yet, per partition',
    });
    this.lagSeconds = meter.createObservableGauge('behavior.stream.lag', {
      description: 'Age of the oldest signal a consumer has not taken yet, per partition (0: caught up)',
      unit: 's',
    });
    this.lagSignals = meter.createObservableGauge('behavior.stream.lag.signals', {
      description: 'Committed signals a consumer has not taken yet, per partition (counted up to 10,000)',
    });
    this.sinkSignals = meter.createCounter('behavior.sink.delivered', {
      description: 'Signals a sink delivered and its receiver acknowledged (a redelivery counts again)',
    });
    this.sinkFailures = meter.createCounter('behavior.sink.failures', {
      description: 'Failed deliveries of a sink, by kind: unavailable, rejected (one signal), error',
    });
    this.sinkBatchDuration = meter.createHistogram('behavior.sink.batch.duration', {
      description: 'Time from handing a batch to a sink until its receiver acknowledged it',
      unit: 'ms',
    });
    this.embeddingsGeneratedCounter = meter.createCounter('behavior.embeddings.generated', {
      description: 'Texts the embedding provider embedded (repeats reuse a stored vector and do not count)',
    });
    this.embeddingsSkippedCounter = meter.createCounter('behavior.embeddings.skipped', {
      description: 'Selected texts not sent to the provider, by reason: too_short, repeat, budget',
    });
    this.embeddingTokens = meter.createCounter('behavior.embeddings.tokens', {
      description: 'Tokens the embedding provider counted',
    });
    this.embeddingCost = meter.createCounter('behavior.embeddings.cost', {
      description: 'Cost of the embedding calls in US dollars (only when costPer1kTokens is known)',
      unit: 'USD',
    });
  }

  embeddingsGenerated(provider: string, texts: number, tokens: number, cost?: number): void {
    this.embeddingsGeneratedCounter.add(texts, { provider });
    this.embeddingTokens.add(tokens, { provider });
    if (cost !== undefined) this.embeddingCost.add(cost, { provider });
  }

  embeddingSkipped(reason: 'too_short' | 'repeat' | 'budget', texts = 1): void {
    this.embeddingsSkippedCounter.add(texts, { reason });
  }

  /**
   * Reports every consumer's lag per partition at each collection (a scrape), read through
   * `read`; returns the function that stops it.
   */
  observeStream(read: () => Promise<readonly ConsumerPartitionStatus[]>): () => void {
    const callback: BatchObservableCallback = async (observer) => {
      const rows = await read().catch(() => []);
      for (const row of rows) {
        const labels = { consumer: row.consumer, partition: String(row.partition) };
        observer.observe(this.lagSeconds, row.lagSeconds, labels);
        observer.observe(this.lagSignals, row.lagSignals, labels);
        observer.observe(this.consumerFailures, row.failures, labels);
        observer.observe(this.parked, row.parked, labels);
      }
    };
    const gauges = [this.lagSeconds, this.lagSignals, this.consumerFailures, this.parked];
    this.meter.addBatchObservableCallback(callback, gauges);
    return () => this.meter.removeBatchObservableCallback(callback, gauges);
  }

  signalStored(schemaId: string): void {
    this.ingested.add(1, { schemaId });
  }

  signalRejected(schemaId: string, reason: string): void {
    this.failures.add(1, { schemaId, reason });
  }

  projectorsRan(durations: ReadonlyMap<string, number>): void {
    for (const [projector, ms] of durations) this.projectorDuration.record(ms, { projector });
  }

  strategyRan(strategy: string, ms: number): void {
    this.strategyDuration.record(ms, { strategy });
  }

  sinkDelivered(sink: string, signals: number, ms: number): void {
    this.sinkSignals.add(signals, { sink });
    this.sinkBatchDuration.record(ms, { sink });
  }

  sinkFailed(sink: string, kind: 'unavailable' | 'rejected' | 'error'): void {
    this.sinkFailures.add(1, { sink, kind });
  }

  batchProjected(oldestIngestedAtMs: number, now = Date.now()): void {
    this.projectionLag.record(Math.max(0, (now - oldestIngestedAtMs) / 1000));
  }
}
