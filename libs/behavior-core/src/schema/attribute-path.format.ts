const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `attributes.contentId`, or `attributes["odd key"]` when the key is not an identifier. */
export function appendPathKey(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Turns an Ajv JSON Pointer into `attributes.items[2].sku`. The data is walked
 * alongside because a pointer cannot tell an array index from a numeric key.
 */
export function pointerToPath(pointer: string, data: unknown): string {
  let path = 'attributes';
  if (pointer === '') return path;
  let current: unknown = data;
  for (const encoded of pointer.slice(1).split('/')) {
    const segment = encoded.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path += `[${segment}]`;
      current = current[Number(segment)];
    } else {
      path = appendPathKey(path, segment);
      current =
        typeof current === 'object' && current !== null && Object.hasOwn(current, segment)
          ? (current as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}
