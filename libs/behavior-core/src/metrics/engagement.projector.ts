import { Injectable } from '@nestjs/common';
import type { BehaviorSignal } from '../contracts/behavior-signal.js';
import type { BehaviorMetricProjector, MetricAccumulator } from '../contracts/behavior-metric-projector.js';
import type { MetricHint, SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { ENGAGEMENT_KEYS } from './engagement-metric-keys.js';
import { RegisterMetricProjector } from './metric-projector.decorator.js';

/**
 * The default projector: each schema's `metricHints` (count, sum, avg, min, max, distinct)
 * plus the engagement inputs the default insight strategy reads: signals per day, per
 * schema and distinct schemas, dwell time (from `sum` hints over a duration attribute)
 * and the last activity.
 */
@RegisterMetricProjector()
@Injectable()
export class EngagementProjector implements BehaviorMetricProjector {
  readonly name = 'engagement';

  supports(signal: BehaviorSignal): boolean {
    return signal.userId !== null;
  }

  project(signal: BehaviorSignal, definition: SignalSchemaDefinition, acc: MetricAccumulator): void {
    for (const hint of definition.metricHints) this.applyHint(hint, signal, acc);
    acc.count(ENGAGEMENT_KEYS.signals);
    acc.count(`${ENGAGEMENT_KEYS.schemaSignalsPrefix}${signal.schemaId}`, 1, { schemaId: signal.schemaId });
    acc.distinct(ENGAGEMENT_KEYS.schemas, signal.schemaId);
    acc.max(ENGAGEMENT_KEYS.lastActivity, Date.parse(signal.timestamp));
    for (const hint of definition.metricHints) {
      const seconds = dwellSeconds(hint, signal);
      if (seconds !== undefined) acc.sum(ENGAGEMENT_KEYS.dwellSeconds, seconds);
    }
  }

  private applyHint(hint: MetricHint, signal: BehaviorSignal, acc: MetricAccumulator): void {
    if (hint.aggregation === 'count') return acc.count(hint.key);
    const value = hint.field === undefined ? undefined : readPath(signal.attributes, hint.field);
    if (value === undefined || value === null) return;
    if (hint.aggregation === 'distinct') {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
        acc.distinct(hint.key, value);
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    acc[hint.aggregation](hint.key, value);
  }
}

/** A `sum` hint over an attribute named like a duration counts as dwell time (ms → s by name). */
function dwellSeconds(hint: MetricHint, signal: BehaviorSignal): number | undefined {
  if (hint.aggregation !== 'sum' || !hint.field) return undefined;
  const leaf = hint.field.split('.').pop()!;
  if (!/duration/i.test(leaf)) return undefined;
  const value = readPath(signal.attributes, hint.field);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  return /ms$|millis/i.test(leaf) ? value / 1000 : value;
}

function readPath(attributes: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = attributes;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
