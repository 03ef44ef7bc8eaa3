import type { BehaviorSettings } from '../contracts/behavior-core-options.js';
import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';

const DAY_MS = 86_400_000;

/** What one retention run may delete: everything strictly older than each cutoff. */
export interface RetentionCutoffs {
  /** Signals of a schema that keeps them for less than the service-wide limit. */
  readonly perSchema: readonly { readonly schemaId: string; readonly before: Date }[];
  /** Signals of every other schema (and of schemas no longer declared), failed signals, idempotency keys. */
  readonly signalsBefore: Date;
  /** A monthly partition that ends on or before this holds nothing any schema may keep. */
  readonly partitionsEndingBy: Date;
  /** Daily metrics (a date: metric rows are per UTC day). */
  readonly metricsBefore: string;
  readonly insightsBefore: Date;
  /** Alerts resolved before this; an open alert is an incident still being handled, never aged out. */
  readonly alertsResolvedBefore: Date;
  /** Overlay audit rows applied before this (the overlay lib deletes them: it owns the table). */
  readonly overlayAuditBefore: Date;
  /** Completed erasure audit rows finished before this go. */
  readonly erasureAuditsBefore: Date;
}

/**
 * A schema's `retentionDays` can only shorten the service-wide `retention.signalsDays`,
 * never extend it: the operator's limit is the promise made to the data's owners.
 * Versions of one schema keep signals as long as the longest-lived version says, since
 * a stored signal's version is not re-checked against the schema at deletion time.
 */
export function retentionCutoffs(
  settings: BehaviorSettings['retention'],
  definitions: readonly SignalSchemaDefinition[],
  now: Date,
): RetentionCutoffs {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const longest = new Map<string, number>();
  for (const d of definitions) {
    longest.set(d.id, Math.max(longest.get(d.id) ?? 0, d.retentionDays));
  }
  const perSchema = [...longest]
    .filter(([, days]) => days < settings.signalsDays)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([schemaId, days]) => ({ schemaId, before: daysAgo(days) }));
  const signalsBefore = daysAgo(settings.signalsDays);
  return {
    perSchema,
    signalsBefore,
    partitionsEndingBy: signalsBefore,
    metricsBefore: daysAgo(settings.metricsDays).toISOString().slice(0, 10),
    insightsBefore: daysAgo(settings.insightsDays),
    alertsResolvedBefore: daysAgo(settings.alertsDays),
    overlayAuditBefore: daysAgo(settings.overlayAuditDays),
    erasureAuditsBefore: daysAgo(settings.erasureAuditDays),
  };
}
