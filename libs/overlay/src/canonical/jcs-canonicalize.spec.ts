import { canonicalize, CanonicalizationError } from './jcs-canonicalize.js';

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalize (RFC 8785)', () => {
  it('produces the RFC 8785 §3.2.2 example output', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalize(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
      "\u0438": "Cyrillic Small Letter I"
    }`) as Record<string, string>;
    const output = canonicalize(input);
    const order = Object.keys(JSON.parse(output) as object);
    // Object.keys would put "1" first anyway (integer-like key), so check the serialized order.
    const positions = ['\r', '1', '\u0080', '\u00f6', '\u0438', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) =>
      output.indexOf(JSON.stringify(k) + ':'),
    );
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(order).toHaveLength(8);
    // U+0080 and the emoji are emitted as-is (no escaping outside the ASCII control range).
    expect(output).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u0438":"Cyrillic Small Letter I","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face",' +
        '"\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts a surrogate pair (U+1F600) before U+FB33 although its code point is higher', () => {
    expect(canonicalize({ '\ufb33': 1, '\ud83d\ude00': 2 })).toBe('{"\ud83d\ude00":2,"\ufb33":1}');
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their expected serializations.
  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serializes the double 0x%s as %s', (bits, expected) => {
    expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it.each([
    ['7fffffffffffffff', 'NaN'],
    ['7ff0000000000000', 'Infinity'],
    ['fff0000000000000', '-Infinity'],
  ])('rejects the non-finite double 0x%s (%s)', (bits) => {
    expect(() => canonicalize(fromBits(bits))).toThrow(CanonicalizationError);
  });

  it('handles the number edge cases around exponent switching', () => {
    expect(canonicalize([-0, 1e21, 1e20, 1e-7, 1e-6, 5e-324, 0.1 + 0.2, 100, -1.5])).toBe(
      '[0,1e+21,100000000000000000000,1e-7,0.000001,5e-324,0.30000000000000004,100,-1.5]',
    );
  });

  it('escapes only control characters, quote and backslash; short forms where JSON has them', () => {
    const controls = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
    expect(canonicalize(controls)).toBe(
      '"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f' +
        '\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"',
    );
    expect(canonicalize('"\\/\u007f\u2028\u2029<>&\'')).toBe('"\\"\\\\/\u007f\u2028\u2029<>&\'"');
  });

  it('rejects lone surrogates in values and keys, but accepts pairs', () => {
    expect(() => canonicalize('a\ud800')).toThrow(/lone surrogate/);
    expect(() => canonicalize('\udc00b')).toThrow(/lone surrogate/);
    expect(() => canonicalize({ ['\ud83d']: 1 })).toThrow(/lone surrogate at \/\ud83d/);
    expect(canonicalize('\ud83d\ude00')).toBe('"\ud83d\ude00"');
  });

  it('serializes nested arrays and objects without whitespace', () => {
    expect(canonicalize({ z: [[1, [2, []]], {}], a: { c: [true, null], b: 'x' } })).toBe(
      '{"a":{"b":"x","c":[true,null]},"z":[[1,[2,[]]],{}]}',
    );
  });

  it('is idempotent over its own output and insensitive to key insertion order', () => {
    const value = { b: [1, { y: 2, x: 1 }], a: 'é' };
    const once = canonicalize(value);
    expect(canonicalize(JSON.parse(once))).toBe(once);
    expect(canonicalize({ a: 'é', b: [1, { x: 1, y: 2 }] })).toBe(once);
  });

  it('skips undefined properties but rejects undefined array elements and non-JSON values', () => {
    expect(canonicalize({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(() => canonicalize([1, undefined])).toThrow(/undefined array element at \/1/);
    expect(() => canonicalize(undefined)).toThrow(CanonicalizationError);
    expect(() => canonicalize({ f: () => 1 })).toThrow(/function has no JSON form at \/f/);
    expect(() => canonicalize({ n: 10n })).toThrow(/bigint/);
    expect(() => canonicalize(new Map())).toThrow(/plain objects/);
    expect(() => canonicalize({ deep: [{ v: Number.NaN }] })).toThrow(/at \/deep\/0\/v/);
  });

  it('uses toJSON like JSON.stringify (dates become ISO strings)', () => {
    expect(canonicalize({ at: new Date(Date.UTC(2024, 0, 2)) })).toBe('{"at":"2024-01-02T00:00:00.000Z"}');
  });

  it('rejects cycles but accepts shared (non-cyclic) references', () => {
    const shared = { v: 1 };
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/cyclic/);
  });
});
