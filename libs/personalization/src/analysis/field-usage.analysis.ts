import type { FieldAccessEvent } from '../events/behavior-event.js';
import type { FieldRef, FieldUsage } from './behavior-insights.js';

export interface FieldUsageThresholds {
  fieldInactivityThreshold: number;
  frequentFieldThreshold: number;
  maxFrequentFieldsPerOperation: number;
}

export interface FieldUsageResult {
  unusedFields: FieldRef[];
  suggestedHiddenFields: FieldUsage[];
  frequentlyUsedFields: FieldUsage[];
}

/** What the field rules need to know about one (operation, field): computed from events or by SQL. */
export interface FieldUsageTally {
  operation: string;
  field: string;
  /** Access events in the window, whatever their action. */
  accesses: number;
  /** Whether any of them was an `edited` access. */
  edited: boolean;
}

/**
 * Every access event counts once whatever its action; a field edited in the window is never suggested
 * for hiding, because hiding an input someone fills in would lose data entry.
 */
export function analyzeFieldUsage(
  events: readonly FieldAccessEvent[],
  givenFields: Readonly<Record<string, readonly string[]>> | undefined,
  thresholds: FieldUsageThresholds,
): FieldUsageResult {
  return summarizeFieldUsage(tallyFieldAccesses(events), givenFields, thresholds);
}

/** One tally per observed (operation, field); the server gets the same rows from a `GROUP BY`. */
export function tallyFieldAccesses(events: readonly FieldAccessEvent[]): FieldUsageTally[] {
  const tallies = new Map<string, FieldUsageTally>();
  for (const { operation, field, action } of events) {
    // JSON keeps the pair unambiguous whatever characters the names contain.
    const key = JSON.stringify([operation, field]);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = { operation, field, accesses: 0, edited: false }));
    tally.accesses += 1;
    if (action === 'edited') tally.edited = true;
  }
  return [...tallies.values()];
}

/**
 * The field rules over per-field tallies. Known fields are the tallied ones plus `givenFields` (the
 * base spec), so a field nobody touched is still reported. Tallies of one (operation, field) add up.
 */
export function summarizeFieldUsage(
  observed: readonly FieldUsageTally[],
  givenFields: Readonly<Record<string, readonly string[]>> | undefined,
  thresholds: FieldUsageThresholds,
): FieldUsageResult {
  const tallies = new Map<string, Map<string, { accesses: number; edited: boolean }>>();
  const tallyOf = (operation: string, field: string) => {
    let fields = tallies.get(operation);
    if (!fields) tallies.set(operation, (fields = new Map()));
    let tally = fields.get(field);
    if (!tally) fields.set(field, (tally = { accesses: 0, edited: false }));
    return tally;
  };

  for (const [operation, fields] of Object.entries(givenFields ?? {})) {
    for (const field of fields) tallyOf(operation, field);
  }
  for (const { operation, field, accesses, edited } of observed) {
    const tally = tallyOf(operation, field);
    tally.accesses += accesses;
    if (edited) tally.edited = true;
  }

  const unusedFields: FieldRef[] = [];
  const suggestedHiddenFields: FieldUsage[] = [];
  const frequentlyUsedFields: FieldUsage[] = [];
  for (const [operation, fields] of tallies) {
    const frequent: FieldUsage[] = [];
    for (const [field, { accesses, edited }] of fields) {
      if (accesses === 0) unusedFields.push({ operation, field });
      if (accesses < thresholds.fieldInactivityThreshold && !edited) {
        suggestedHiddenFields.push({ operation, field, accesses });
      }
      if (accesses >= thresholds.frequentFieldThreshold) frequent.push({ operation, field, accesses });
    }
    frequent.sort(byAccessesThenName);
    frequentlyUsedFields.push(...frequent.slice(0, thresholds.maxFrequentFieldsPerOperation));
  }

  unusedFields.sort(byName);
  suggestedHiddenFields.sort(byName);
  frequentlyUsedFields.sort(byAccessesThenName);
  return { unusedFields, suggestedHiddenFields, frequentlyUsedFields };
}

function byName(a: FieldRef, b: FieldRef): number {
  return compare(a.operation, b.operation) || compare(a.field, b.field);
}

function byAccessesThenName(a: FieldUsage, b: FieldUsage): number {
  return b.accesses - a.accesses || byName(a, b);
}

/** Code-point order, not locale order, so the server's `ORDER BY ... COLLATE "C"` gives the same list. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
