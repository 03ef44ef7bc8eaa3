/**
 * Deep copy of a validated JSON tree. Used instead of structuredClone because some DOM
 * environments (jsdom) lack it, and because undefined properties should disappear here
 * exactly as they do in canonical JSON.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) copy[key] = cloneJson(item);
  }
  return copy as T;
}
