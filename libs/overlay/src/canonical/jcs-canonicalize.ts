/*
 * RFC 8785 JSON Canonicalization Scheme. ECMAScript's own serializers already produce the
 * RFC's number form (Number::toString) and string escaping (JSON.stringify since ES2019),
 * so the work here is what JSON.stringify does not guarantee: key order, rejecting values
 * that have no I-JSON form, and refusing to silently drop or coerce data that would then be
 * signed differently from what the caller meant.
 */

// Strings without anything to escape and without surrogates (most keys and values) are quoted
// directly; the rest go through the exact checks below.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const ANY_SURROGATE = /[\ud800-\udfff]/;
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
  // The JSON-pointer path is only materialized on error, keeping the happy path allocation-light.
  return new Canonicalizer().write(value);
}

class Canonicalizer {
  private readonly trail: Array<string | number> = [];
  private readonly ancestors = new Set<object>();

  private fail(message: string): never {
    const path = this.trail.map((t) => `/${String(t).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    throw new CanonicalizationError(message, path);
  }

  write(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        if (!Number.isFinite(value)) this.fail(`${value} is not a valid JSON number`);
        // Number::toString is the RFC's serialization; -0 already prints as "0".
        return String(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'object':
        break;
      default:
        this.fail(`a ${typeof value} has no JSON form`);
    }
    if (value === null) return 'null';
    const withToJson = value as { toJSON?: (key: string) => unknown };
    if (typeof withToJson.toJSON === 'function') {
      const last = this.trail.length > 0 ? String(this.trail[this.trail.length - 1]) : '';
      const replaced = withToJson.toJSON(last);
      if (replaced === undefined) this.fail('toJSON() returned undefined');
      return this.write(replaced);
    }
    if (this.ancestors.has(value)) this.fail('cyclic structure');
    this.ancestors.add(value);
    const out = Array.isArray(value) ? this.array(value) : this.object(value);
    this.ancestors.delete(value);
    return out;
  }

  private array(value: readonly unknown[]): string {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      this.trail.push(i);
      // JSON.stringify would turn a hole or undefined into null, changing what is signed.
      if (item === undefined) this.fail('undefined array element');
      out += (i > 0 ? ',' : '') + this.write(item);
      this.trail.pop();
    }
    return out + ']';
  }

  private object(value: object): string {
    // Compared structurally rather than to Object.prototype so objects from another realm
    // (a VM context, an iframe) still count as plain.
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      this.fail('only plain objects and arrays can be canonicalized');
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const item = record[key];
      // Optional properties left undefined are absent in JSON; skipping them keeps
      // canonicalize(x) equal to canonicalize(JSON.parse(JSON.stringify(x))).
      if (item === undefined) continue;
      this.trail.push(key);
      out += (first ? '' : ',') + this.string(key) + ':' + this.write(item);
      first = false;
      this.trail.pop();
    }
    return out + '}';
  }

  private string(value: string): string {
    if (!NEEDS_CARE.test(value)) return `"${value}"`;
    // I-JSON (required by RFC 8785 §3.1) forbids lone surrogates: they have no UTF-8 form.
    if (ANY_SURROGATE.test(value) && LONE_SURROGATE.test(value))
      this.fail('string contains a lone surrogate');
    return JSON.stringify(value);
  }
}
