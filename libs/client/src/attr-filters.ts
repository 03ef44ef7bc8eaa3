export type AttrFilterValue = string | number | boolean;
/** Numeric comparisons on one attribute; only JSON numbers match them. */
export interface AttrRange {
  readonly gte?: number;
  readonly gt?: number;
  readonly lte?: number;
  readonly lt?: number;
}

/**
 * The `filters` query object of listUserSignals from attribute names:
 * `attrFilters({ country: 'DE', amount: { gte: 10 } })` is
 * `{ 'attr.country': 'DE', 'attr.amount[gte]': 10 }`.
 */
export function attrFilters(
  filters: Readonly<Record<string, AttrFilterValue | AttrRange>>,
): Record<string, AttrFilterValue> {
  const query: Record<string, AttrFilterValue> = {};
  for (const [name, filter] of Object.entries(filters)) {
    if (typeof filter !== 'object') {
      query[`attr.${name}`] = filter;
      continue;
    }
    for (const [op, value] of Object.entries(filter)) {
      if (value !== undefined) query[`attr.${name}[${op}]`] = value;
    }
  }
  return query;
}
