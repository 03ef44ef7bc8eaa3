import type { FieldAccessEvent } from './behavior-event.js';
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

interface FieldTally {
  accesses: number;
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
  const tallies = new Map<string, Map<string, FieldTally>>();
  const tallyOf = (operation: string, field: string): FieldTally => {
    let fields = tallies.get(operation);
    if (!fields) tallies.set(operation, (fields = new Map()));
    let tally = fields.get(field);
    if (!tally) fields.set(field, (tally = { accesses: 0, edited: false }));
    return tally;
  };

  for (const [operation, fields] of Object.entries(givenFields ?? {})) {
    for (const field of fields) tallyOf(operation, field);
  }
  for (const event of events) {
    const tally = tallyOf(event.operation, event.field);
    tally.accesses += 1;
    if (event.action === 'edited') tally.edited = true;
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
