import { SchemaLoadError } from './schema-load.error.js';
import { SchemaRegistry } from './schema-registry.js';

const base = { domain: 'test', summary: 'A test schema', retentionDays: 30, pii: 'none' };
const define = (attributes: unknown[], extra: Record<string, unknown> = {}) =>
  SchemaRegistry.fromDefinitions([{ ...base, id: 'test.signal', version: 1, attributes, ...extra }]);
const codesOf = (registry: SchemaRegistry, attributes: unknown, detailed = true) => {
  const result = registry.validate('test.signal', undefined, attributes, { detailed });
  return result.ok ? [] : result.errors.map((e) => e.code);
};
const loadProblems = (build: () => unknown) => {
  try {
    build();
  } catch (error) {
    if (error instanceof SchemaLoadError) return error.problems.map((p) => p.code);
    throw error;
  }
  return [];
};
const extras = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, i]));

describe('schema limits and defaults', () => {
  it('refuses maxItems above 10,000 and maxAttributes above 1,000', () => {
    expect(
      loadProblems(() => define([{ name: 'l', type: 'array', maxItems: 10_001, items: { type: 'string' } }])),
    ).toEqual(['limit_exceeded']);
    expect(loadProblems(() => define([], { additionalAttributes: 'allow', maxAttributes: 1001 }))).toEqual([
      'limit_exceeded',
    ]);
    expect(
      loadProblems(() => define([{ name: 'o', type: 'object', attributes: [], maxAttributes: 5000 }])),
    ).toEqual(['limit_exceeded']);
  });

  it('bounds free-form objects to 256 members by default, or to the schema’s own maxAttributes', () => {
    const open = define([], { additionalAttributes: 'allow' });
    expect(codesOf(open, extras(256))).toEqual([]);
    expect(codesOf(open, extras(257))).toEqual(['max_properties']);
    const wide = define([], { additionalAttributes: 'allow', maxAttributes: 1000 });
    expect(codesOf(wide, extras(1000))).toEqual([]);
    const nested = define([
      { name: 'o', type: 'object', attributes: [], additionalAttributes: 'allow', maxAttributes: 2 },
    ]);
    expect(codesOf(nested, { o: extras(3) })).toEqual(['max_properties']);
  });

  it('without details, a failing item reports only its first error', () => {
    const registry = define([{ name: 'l', type: 'array', maxItems: 5000, items: { type: 'string' } }]);
    const bad = { l: new Array(5000).fill(1) };
    expect(codesOf(registry, bad, false)).toEqual(['type']);
    expect(codesOf(registry, bad, true)).toHaveLength(5000);
  });
});
