// Types only, so the adapter adds no overlay code to a browser bundle; the dependency points from
// personalization to overlay and never back, so overlay stays usable without the tracker.
import type { JsonValue, OverlayOperation, OverlayScope, OverlaySpec } from '@lssm/overlay';
import type { BehaviorInsights, FieldUsage } from '../analysis/behavior-insights.js';
import { compare } from '../analysis/field-usage.analysis.js';
import { describeAudience, describeWindow, plural } from './insight-evidence.formatter.js';

export interface OverlaySuggestionOptions {
  overlayId: string;
  /** Must equal `insights.scope.tenantId`: one tenant's behaviour never shapes another's UI. */
  tenantId: string;
  /** The overlay capability; the analyzer's field `operation` it is matched against. */
  capability: string;
  /** Default 1. */
  version?: number;
  /** Replaces the scope derived from `insights.scope` (user, else role, else tenant-wide). */
  scope?: OverlayScope;
}

/** Identifies drafts made by this adapter in `metadata.source`. */
export const OVERLAY_SUGGESTION_SOURCE = 'personalization.insights';

// The overlay schema caps operations and reorder lists at 1000 and field names at 256 characters;
// staying inside keeps the suggestion valid instead of failing the whole draft on an outlier.
const MAX_OPERATIONS = 1000;
const MAX_FIELD_NAME = 256;

/**
 * A draft overlay for `capability` from analyzer insights, or `null` when they suggest nothing:
 * `hideField` per suggested-hidden field, then one `reorderFields` putting the frequently used fields
 * first (most accessed first). Rules: docs/personalization.md#suggestions.
 */
export function insightsToOverlaySuggestion(
  insights: BehaviorInsights,
  options: OverlaySuggestionOptions,
): OverlaySpec | null {
  if (insights.scope.tenantId !== options.tenantId) {
    throw new RangeError(
      `insightsToOverlaySuggestion: insights are for tenant "${insights.scope.tenantId}", not "${options.tenantId}"`,
    );
  }
  const version = options.version ?? 1;
  if (!Number.isInteger(version) || version < 1) {
    throw new RangeError('insightsToOverlaySuggestion: version must be a positive integer');
  }

  const hidden = uniqueFields(insights.suggestedHiddenFields, options.capability).sort(byName);
  const hiddenNames = new Set(hidden.map((f) => f.field));
  // The analyzer never reports a field as both, but a server-computed or hand-edited insight might;
  // reordering a field the same overlay hides would only confuse the reviewer.
  const frequent = uniqueFields(insights.frequentlyUsedFields, options.capability)
    .filter((f) => !hiddenNames.has(f.field))
    .sort((a, b) => b.accesses - a.accesses || byName(a, b))
    .slice(0, MAX_OPERATIONS);

  const hides = hidden.slice(0, MAX_OPERATIONS - (frequent.length > 0 ? 1 : 0));
  const operations: OverlayOperation[] = hides.map((f) => ({ type: 'hideField', field: f.field }));
  if (frequent.length > 0) operations.push({ type: 'reorderFields', fields: frequent.map((f) => f.field) });
  if (operations.length === 0) return null;

  return {
    overlayId: options.overlayId,
    version,
    tenantId: options.tenantId,
    capability: options.capability,
    scope: options.scope ? { ...options.scope } : scopeOf(insights.scope),
    operations,
    metadata: evidence(insights, hides, frequent),
  };
}

/**
 * Per-user insights scope the overlay to that user (plus the role when the analysis was narrowed to
 * it): one person's habits must not reshape everyone's form. Per-role insights scope it to the role.
 */
function scopeOf(scope: BehaviorInsights['scope']): OverlayScope {
  const result: { userId?: string; role?: string } = {};
  if (scope.userId !== undefined) result.userId = scope.userId;
  if (scope.role !== undefined) result.role = scope.role;
  return result;
}

function uniqueFields(list: readonly FieldUsage[], capability: string): FieldUsage[] {
  const seen = new Set<string>();
  const result: FieldUsage[] = [];
  for (const usage of list) {
    if (usage.operation !== capability || seen.has(usage.field)) continue;
    if (usage.field.length === 0 || usage.field.length > MAX_FIELD_NAME) continue;
    seen.add(usage.field);
    result.push(usage);
  }
  return result;
}

function byName(a: FieldUsage, b: FieldUsage): number {
  return compare(a.field, b.field);
}

function evidence(
  insights: BehaviorInsights,
  hidden: readonly FieldUsage[],
  frequent: readonly FieldUsage[],
): { [key: string]: JsonValue } {
  const basedOn: { [key: string]: JsonValue } = { tenantId: insights.scope.tenantId };
  if (insights.scope.userId !== undefined) basedOn.userId = insights.scope.userId;
  if (insights.scope.role !== undefined) basedOn.role = insights.scope.role;

  const parts: string[] = [];
  if (hidden.length > 0) {
    const list = hidden.map((f) => `${f.field} (${plural(f.accesses, 'access')})`).join(', ');
    parts.push(`hide ${plural(hidden.length, 'rarely used field')} never edited: ${list}`);
  }
  if (frequent.length > 0) {
    parts.push(`put the most used first: ${frequent.map((f) => `${f.field} (${f.accesses})`).join(', ')}`);
  }

  return {
    source: OVERLAY_SUGGESTION_SOURCE,
    summary: `Observed for ${describeAudience(insights.scope)} ${describeWindow(insights.window)}: ${parts.join('; ')}.`,
    basedOn,
    window: { ...insights.window },
    hiddenFields: hidden.map((f) => ({ field: f.field, accesses: f.accesses })),
    frequentFields: frequent.map((f) => ({ field: f.field, accesses: f.accesses })),
  };
}
