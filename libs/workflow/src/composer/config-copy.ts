/**
 * Deep copy of step config. Config is almost always JSON-like (strings, numbers, arrays,
 * plain objects), which a hand-written walk copies an order of magnitude faster than
 * structuredClone; anything else (Date, Map, class instances) goes to structuredClone.
 */
export function copyConfig<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyConfig) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyConfig((value as Record<string, unknown>)[key]);
  return out as T;
}
