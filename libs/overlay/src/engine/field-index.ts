import type { BaseSpec } from './overlay-engine.types.js';

// Base specs are usually module constants rendered many times; indexing once per spec object
// keeps name lookups off the per-apply cost. A WeakMap lets unused specs be collected.
const cache = new WeakMap<readonly unknown[], Map<string, number>>();

/** Field name → position in the base spec. Throws on duplicate names (an app bug, not user input). */
export function fieldIndex(base: BaseSpec): Map<string, number> {
  let index = cache.get(base.fields);
  if (index) return index;
  index = new Map();
  for (let i = 0; i < base.fields.length; i++) {
    const name = base.fields[i]!.name;
    if (index.has(name)) throw new TypeError(`base spec "${base.capability}" has duplicate field "${name}"`);
    index.set(name, i);
  }
  // Only safe to reuse when the array cannot change underneath the cache.
  if (Object.isFrozen(base.fields)) cache.set(base.fields, index);
  return index;
}
