/*
 * RFC 8785 JSON Canonicalization Scheme. ECMAScript's own serializers already produce the
 * RFC's number form (Number::toString) and string escaping (JSON.stringify since ES2019),
 * so the work here is what JSON.stringify does not guarantee: key order, rejecting values
 * that have no I-JSON form, and refusing to silently drop or coerce data that would then be
 * signed differently from what the caller meant.
 */

// With the u flag a surrogate class only matches surrogates that are not part of a pair.
const LONE_SURROGATE = /\p{Cs}/u;

export class CanonicalizationError extends TypeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${message} at ${path === '' ? '/' : path}`);
    this.name = 'CanonicalizationError';
  }
}

export function canonicalize(value: unknown): string {
  if (value === undefined) throw new CanonicalizationError('undefined has no JSON form', '');
  const parts: string[] = [];
  write(value, parts, '', new Set());
  return parts.join('');
}

function write(value: unknown, out: string[], path: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(serializeString(value, path));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`${value} is not a valid JSON number`, path);
      // Number::toString is the RFC's serialization; -0 already prints as "0".
      out.push(String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`, path);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const withToJson = value as { toJSON?: (key: string) => unknown };
  if (typeof withToJson.toJSON === 'function') {
    const replaced = withToJson.toJSON(path.slice(path.lastIndexOf('/') + 1));
    if (replaced === undefined) throw new CanonicalizationError('toJSON() returned undefined', path);
    write(replaced, out, path, ancestors);
    return;
  }
  if (ancestors.has(value)) throw new CanonicalizationError('cyclic structure', path);
  ancestors.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = value[i];
      // JSON.stringify would turn a hole or undefined into null, changing what is signed.
      if (item === undefined) throw new CanonicalizationError('undefined array element', `${path}/${i}`);
      write(item, out, `${path}/${i}`, ancestors);
    }
    out.push(']');
  } else {
    // Compared structurally rather than to Object.prototype so objects from another realm
    // (structuredClone in a VM context, an iframe) still count as plain.
    const proto: object | null = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      throw new CanonicalizationError('only plain objects and arrays can be canonicalized', path);
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const item = record[key];
      // Optional properties left undefined are absent in JSON; skipping them keeps
      // canonicalize(x) equal to canonicalize(JSON.parse(JSON.stringify(x))).
      if (item === undefined) continue;
      const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!first) out.push(',');
      first = false;
      out.push(serializeString(key, childPath), ':');
      write(item, out, childPath, ancestors);
    }
    out.push('}');
  }
  ancestors.delete(value);
}

function serializeString(value: string, path: string): string {
  // I-JSON (required by RFC 8785 §3.1) forbids lone surrogates: they have no UTF-8 form.
  if (LONE_SURROGATE.test(value)) throw new CanonicalizationError('string contains a lone surrogate', path);
  return JSON.stringify(value);
}
