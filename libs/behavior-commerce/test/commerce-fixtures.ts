import type { BehaviorInsightContext, BehaviorMetricRow, BehaviorSignal } from '@lssm/behavior-core';
import type { CommerceOptions } from '../src/contracts/commerce-options';
import { resolveCommerceOptions } from '../src/options/commerce-options.resolver';

export const NOW = new Date('2026-11-20T20:00:00Z');

export function metric(metricKey: string, metricDate: string, metricValue: number): BehaviorMetricRow {
  return { metricKey, metricDate, metricValue, metricType: 'count', attributes: {} };
}

let seq = 0;
export function signal(
  schemaId: string,
  timestamp: string,
  attributes: Record<string, unknown>,
): BehaviorSignal {
  seq++;
  return {
    id: `0190b0e0-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    tenantId: 't',
    userId: 'u',
    sessionId: null,
    schemaId,
    schemaVersion: 1,
    signalKey: null,
    source: null,
    timestamp,
    ingestedAt: timestamp,
    attributes,
  };
}

export function context(
  metrics: readonly BehaviorMetricRow[],
  recentSignals: readonly BehaviorSignal[] = [],
  now = NOW,
): BehaviorInsightContext {
  return {
    tenantId: 't',
    userId: 'u',
    now,
    windowDays: 30,
    features: {
      signals: 0,
      activeDays: 1,
      dwellSeconds: 0,
      lastActivityAt: now,
      firstSeenAt: new Date('2026-10-01T00:00:00Z'),
      schemaUse: {},
    },
    metrics,
    recentSignals,
    schemas: [],
  };
}

export function options(input: Parameters<typeof resolveCommerceOptions>[0] = {}): CommerceOptions {
  return resolveCommerceOptions(input);
}
