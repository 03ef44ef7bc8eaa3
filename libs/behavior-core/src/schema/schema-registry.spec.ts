import { SchemaRegistry } from './schema-registry.js';
import type { SignalValidationResult } from '../contracts/signal-schema.js';

const base = { domain: 'test', summary: 'A test schema', retentionDays: 30, pii: 'none' };

function registryWith(attributes: unknown[], extra: Record<string, unknown> = {}): SchemaRegistry {
  return SchemaRegistry.fromDefinitions([{ ...base, id: 'test.signal', version: 1, attributes, ...extra }]);
}

function errorsOf(result: SignalValidationResult) {
  if (result.ok) throw new Error('expected a failure');
  return result.errors.map(({ path, code }) => ({ path, code }));
}

function expectValid(registry: SchemaRegistry, attributes: unknown): void {
  const result = registry.validate('test.signal', undefined, attributes);
  expect(result.ok ? [] : result.errors).toEqual([]);
}

function expectError(registry: SchemaRegistry, attributes: unknown, path: string, code: string): void {
  expect(errorsOf(registry.validate('test.signal', undefined, attributes))).toContainEqual({ path, code });
}

describe('SchemaRegistry.validate: attribute types and constraints', () => {
  describe('string', () => {
    const registry = registryWith([
      { name: 'code', type: 'string', required: true, minLength: 2, maxLength: 4, pattern: '^[A-Z]+$' },
      { name: 'email', type: 'string', format: 'email' },
      { name: 'site', type: 'string', format: 'uri' },
      { name: 'ref', type: 'string', format: 'uuid' },
      { name: 'at', type: 'string', format: 'date-time' },
    ]);

    it('accepts values within every constraint', () => {
      expectValid(registry, {
        code: 'ABC',
        email: 'a@example.com',
        site: 'https://example.com/x',
        ref: '0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b',
        at: '2025-01-31T12:00:00Z',
      });
    });

    it.each([
      [{ code: 5 }, 'attributes.code', 'type'],
      [{ code: 'A' }, 'attributes.code', 'min_length'],
      [{ code: 'ABCDE' }, 'attributes.code', 'max_length'],
      [{ code: 'abc' }, 'attributes.code', 'pattern'],
      [{ code: 'AB', email: 'not-an-email' }, 'attributes.email', 'format'],
      [{ code: 'AB', site: 'no scheme' }, 'attributes.site', 'format'],
      [{ code: 'AB', ref: '1234' }, 'attributes.ref', 'format'],
      [{ code: 'AB', at: 'yesterday' }, 'attributes.at', 'format'],
      [{}, 'attributes.code', 'required'],
    ])('rejects %j with %s %s', (attributes, path, code) => {
      expectError(registry, attributes, path, code);
    });
  });

  describe('number and integer', () => {
    const registry = registryWith([
      { name: 'ratio', type: 'number', minimum: 0, maximum: 1 },
      { name: 'count', type: 'integer', minimum: 1, maximum: 10 },
    ]);

    it('accepts values in range', () => {
      expectValid(registry, { ratio: 0.5, count: 10 });
      expectValid(registry, { ratio: 0, count: 1 });
    });

    it.each([
      [{ ratio: '0.5' }, 'attributes.ratio', 'type'],
      [{ ratio: -0.1 }, 'attributes.ratio', 'minimum'],
      [{ ratio: 1.1 }, 'attributes.ratio', 'maximum'],
      [{ count: 2.5 }, 'attributes.count', 'type'],
      [{ count: 0 }, 'attributes.count', 'minimum'],
      [{ count: 11 }, 'attributes.count', 'maximum'],
    ])('rejects %j with %s %s', (attributes, path, code) => {
      expectError(registry, attributes, path, code);
    });
  });

  describe('boolean, enum and timestamp', () => {
    const registry = registryWith([
      { name: 'flag', type: 'boolean' },
      { name: 'device', type: 'enum', values: ['web', 'ios', 3] },
      { name: 'at', type: 'timestamp' },
    ]);

    it('accepts valid values', () => {
      expectValid(registry, { flag: false, device: 'ios', at: '2025-06-01T08:30:00.123+02:00' });
      expectValid(registry, { device: 3 });
    });

    it.each([
      [{ flag: 'true' }, 'attributes.flag', 'type'],
      [{ device: 'tv' }, 'attributes.device', 'enum'],
      [{ device: '3' }, 'attributes.device', 'enum'],
      [{ at: '2025-06-01' }, 'attributes.at', 'format'],
      [{ at: '2025-13-01T00:00:00Z' }, 'attributes.at', 'format'],
      [{ at: 1717230600000 }, 'attributes.at', 'type'],
    ])('rejects %j with %s %s', (attributes, path, code) => {
      expectError(registry, attributes, path, code);
    });

    it('lists the allowed enum values in the message', () => {
      const result = registry.validate('test.signal', undefined, { device: 'tv' });
      expect(result.ok === false && result.errors[0]!.message).toBe('must be one of: "web", "ios", 3');
    });
  });

  describe('array and object', () => {
    const registry = registryWith([
      {
        name: 'items',
        type: 'array',
        maxItems: 3,
        minItems: 1,
        items: {
          type: 'object',
          attributes: [
            { name: 'sku', type: 'string', required: true, maxLength: 8 },
            { name: 'qty', type: 'integer', minimum: 1 },
          ],
        },
      },
      { name: 'tags', type: 'array', maxItems: 2, items: { type: 'string', maxLength: 3 } },
      {
        name: 'meta',
        type: 'object',
        additionalAttributes: 'allow',
        attributes: [{ name: 'source', type: 'enum', values: ['a', 'b'] }],
      },
    ]);

    it('accepts nested valid values', () => {
      expectValid(registry, {
        items: [{ sku: 'A1', qty: 2 }, { sku: 'B2' }],
        tags: ['x', 'yz'],
        meta: { source: 'a', anything: { goes: true } },
      });
    });

    it.each([
      [{ items: [] }, 'attributes.items', 'min_items'],
      [{ items: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }, { sku: 'd' }] }, 'attributes.items', 'max_items'],
      [{ items: [{ sku: 'a' }, { sku: 'b' }, { qty: 1 }] }, 'attributes.items[2].sku', 'required'],
      [{ items: [{ sku: 'TOO-LONG-SKU' }] }, 'attributes.items[0].sku', 'max_length'],
      [{ items: [{ sku: 'a', qty: 0 }] }, 'attributes.items[0].qty', 'minimum'],
      [{ items: [{ sku: 'a', colour: 'red' }] }, 'attributes.items[0].colour', 'additional_property'],
      [{ items: 'a' }, 'attributes.items', 'type'],
      [{ tags: ['x', 'y', 'z'] }, 'attributes.tags', 'max_items'],
      [{ tags: ['long'] }, 'attributes.tags[0]', 'max_length'],
      [{ meta: 'x' }, 'attributes.meta', 'type'],
      [{ meta: { source: 'c' } }, 'attributes.meta.source', 'enum'],
    ])('rejects %j with %s %s', (attributes, path, code) => {
      expectError(registry, attributes, path, code);
    });

    it('reports every error at once', () => {
      const result = registry.validate('test.signal', undefined, { items: [{ qty: 0 }], tags: ['long'] });
      expect(errorsOf(result)).toEqual(
        expect.arrayContaining([
          { path: 'attributes.items[0].sku', code: 'required' },
          { path: 'attributes.items[0].qty', code: 'minimum' },
          { path: 'attributes.tags[0]', code: 'max_length' },
        ]),
      );
    });

    it('writes keys that are not identifiers in brackets', () => {
      expectError(registry, { meta: {}, 'odd key': 1 }, 'attributes["odd key"]', 'additional_property');
    });

    it('tells a numeric object key from an array index', () => {
      const nested = registryWith([
        { name: 'map', type: 'object', attributes: [{ name: 'v', type: 'integer' }] },
      ]);
      expect(errorsOf(nested.validate('test.signal', undefined, { map: { 0: 1 } }))).toEqual([
        { path: 'attributes.map["0"]', code: 'additional_property' },
      ]);
    });
  });

  it('rejects attributes that are not an object', () => {
    const registry = registryWith([]);
    expectError(registry, null, 'attributes', 'type');
    expectError(registry, [1], 'attributes', 'type');
  });

  it('does not let Object.prototype members satisfy a required attribute', () => {
    const registry = registryWith([{ name: 'toString', type: 'string', required: true }]);
    expectError(registry, {}, 'attributes.toString', 'required');
  });
});

describe('SchemaRegistry.validate: additionalAttributes', () => {
  const attributes = [{ name: 'known', type: 'string' }];

  it('rejects unknown attributes by default', () => {
    const registry = registryWith(attributes);
    const result = registry.validate('test.signal', undefined, { known: 'a', extra: 1 });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          path: 'attributes.extra',
          code: 'additional_property',
          message: 'is not an attribute of test.signal@1, which rejects additional attributes',
        },
      ],
    });
  });

  it('accepts unknown attributes when the definition allows them, still checking the known ones', () => {
    const registry = registryWith(attributes, { additionalAttributes: 'allow' });
    expectValid(registry, { known: 'a', extra: { deep: [1, 2] } });
    expectError(registry, { known: 1, extra: 1 }, 'attributes.known', 'type');
  });

  it('lets a nested object inherit the policy unless it sets its own', () => {
    const registry = registryWith(
      [
        { name: 'inherits', type: 'object', attributes: [] },
        { name: 'strict', type: 'object', additionalAttributes: 'reject', attributes: [] },
      ],
      { additionalAttributes: 'allow' },
    );
    expectValid(registry, { inherits: { x: 1 } });
    expectError(registry, { strict: { x: 1 } }, 'attributes.strict.x', 'additional_property');
  });
});

describe('SchemaRegistry: versions', () => {
  const registry = SchemaRegistry.fromDefinitions([
    { ...base, id: 'test.signal', version: 1, attributes: [{ name: 'a', type: 'string', required: true }] },
    { ...base, id: 'test.signal', version: 3, attributes: [{ name: 'b', type: 'integer', required: true }] },
    { ...base, id: 'test.signal', version: 2, attributes: [{ name: 'c', type: 'boolean', required: true }] },
    { ...base, id: 'other.signal', domain: 'other', version: 1, attributes: [] },
  ]);

  it('validates against the latest version when none is named', () => {
    const result = registry.validate('test.signal', undefined, { b: 1 });
    expect(result.ok && result.definition.version).toBe(3);
    expectError(registry, { a: 'x' }, 'attributes.b', 'required');
  });

  it('validates against the named version', () => {
    const result = registry.validate('test.signal', 1, { a: 'x' });
    expect(result.ok && result.definition.version).toBe(1);
    expect(errorsOf(registry.validate('test.signal', 2, { a: 'x' }))).toContainEqual({
      path: 'attributes.c',
      code: 'required',
    });
  });

  it('reports an unknown version with the known ones', () => {
    const result = registry.validate('test.signal', 4, {});
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: 'schemaVersion',
          code: 'unknown_version',
          message: 'schema "test.signal" has no version 4 (known: 1, 2, 3)',
        },
      ],
    });
  });

  it('reports an unknown schema', () => {
    expect(registry.validate('nope.signal', undefined, {})).toEqual({
      ok: false,
      errors: [{ path: 'schemaId', code: 'unknown_schema', message: 'unknown schema "nope.signal"' }],
    });
  });

  it('includes the resolved definition when only the attributes fail', () => {
    const result = registry.validate('test.signal', 1, {});
    expect(result.ok === false && result.definition?.version).toBe(1);
  });

  it('gets, lists and enumerates versions', () => {
    expect(registry.get('test.signal')?.version).toBe(3);
    expect(registry.get('test.signal', 2)?.version).toBe(2);
    expect(registry.get('test.signal', 9)).toBeUndefined();
    expect(registry.get('missing.id')).toBeUndefined();
    expect(registry.has('test.signal', 1)).toBe(true);
    expect(registry.versions('test.signal')).toEqual([1, 2, 3]);
    expect(registry.versions('missing.id')).toEqual([]);
    expect(registry.ids()).toEqual(['other.signal', 'test.signal']);
    expect(registry.size).toBe(4);
    expect(registry.list().map((d) => `${d.id}@${d.version}`)).toEqual([
      'other.signal@1',
      'test.signal@1',
      'test.signal@2',
      'test.signal@3',
    ]);
    expect(registry.list({ domain: 'other' }).map((d) => d.id)).toEqual(['other.signal']);
    expect(registry.list({ version: 2 }).map((d) => `${d.id}@${d.version}`)).toEqual(['test.signal@2']);
    expect(registry.list({ domain: 'test', version: 1 })).toHaveLength(1);
  });

  it('returns the same success object on every call (no allocation on the hot path)', () => {
    expect(registry.validate('test.signal', 3, { b: 1 })).toBe(
      registry.validate('test.signal', undefined, { b: 2 }),
    );
  });

  it('exposes frozen definitions', () => {
    const definition = registry.get('test.signal')!;
    expect(Object.isFrozen(definition)).toBe(true);
    expect(Object.isFrozen(definition.attributes[0])).toBe(true);
  });

  it('serves the JSON Schema it compiled', () => {
    expect(registry.jsonSchema('test.signal', 1)).toMatchObject({ $id: 'urn:lssm:schema:test.signal:1' });
    expect(registry.jsonSchema('test.signal')).toMatchObject({ $id: 'urn:lssm:schema:test.signal:3' });
  });
});

describe('SchemaRegistry.validate: forbidden keys', () => {
  const registry = registryWith(
    [
      { name: 'name', type: 'string' },
      {
        name: 'list',
        type: 'array',
        maxItems: 5,
        items: { type: 'object', attributes: [], additionalAttributes: 'allow' },
      },
    ],
    { additionalAttributes: 'allow' },
  );

  it('rejects a JSON.parse-d own "__proto__" key', () => {
    const attributes = JSON.parse('{"__proto__": 1}');
    expect(Object.keys(attributes)).toEqual(['__proto__']);
    expect(registry.validate('test.signal', undefined, attributes)).toMatchObject({
      ok: false,
      errors: [{ path: 'attributes.__proto__', code: 'forbidden_key' }],
    });
  });

  it.each(['constructor', 'prototype'])('rejects "%s" even when additional attributes are allowed', (key) => {
    expect(errorsOf(registry.validate('test.signal', undefined, { [key]: {} }))).toEqual([
      { path: `attributes.${key}`, code: 'forbidden_key' },
    ]);
  });

  it('finds forbidden keys at any depth, inside arrays too', () => {
    const attributes = JSON.parse(
      '{"name":"x","deep":{"a":{"__proto__":{"polluted":true}}},"list":[{},{"constructor":1}]}',
    );
    expect(errorsOf(registry.validate('test.signal', undefined, attributes))).toEqual([
      { path: 'attributes.deep.a.__proto__', code: 'forbidden_key' },
      { path: 'attributes.list[1].constructor', code: 'forbidden_key' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts forbidden words as values', () => {
    expectValid(registry, { name: '__proto__', other: 'constructor' });
  });

  it('rejects payloads nested deeper than the limit instead of recursing without end', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(errorsOf(registry.validate('test.signal', undefined, { deep }))[0]).toMatchObject({
      code: 'max_depth',
    });
  });
});
