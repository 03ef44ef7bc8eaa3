import { Injectable } from '@nestjs/common';
import { metrics, type Counter, type Histogram, type Meter } from '@opentelemetry/api';

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

  constructor(meter: Meter = metrics.getMeter(BEHAVIOR_METER_NAME)) {
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

  batchProjected(oldestIngestedAtMs: number, now = Date.now()): void {
    this.projectionLag.record(Math.max(0, (now - oldestIngestedAtMs) / 1000));
  }
}
