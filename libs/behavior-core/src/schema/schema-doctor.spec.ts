import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SchemaProblem } from '../contracts/signal-schema.js';
import { lintSchemaDefinitions, lintSchemaDirectory, mergeDefinitions } from './schema-doctor.js';
import { SchemaLoadError } from './schema-load.error.js';
import { loadSchemaRegistry } from './schema-registry.loader.js';

const created: string[] = [];

function schemaDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'schema-doctor-'));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A valid definition as YAML lines; `attributes` and `extra` are appended verbatim. */
function definitionYaml(
  options: { id?: string; version?: number; attributes?: string; extra?: string } = {},
): string {
  return [
    `- id: ${options.id ?? 'test.signal'}`,
    '  domain: test',
    `  version: ${options.version ?? 1}`,
    '  summary: A test signal',
    '  retentionDays: 30',
    '  pii: none',
    '  attributes:',
    options.attributes ??
      '    - { name: name, type: string, maxLength: 10 }\n    - { name: amount, type: number }',
    options.extra ?? '',
  ].join('\n');
}

function lintOne(yaml: string): { problems: readonly SchemaProblem[]; file: string } {
  const dir = schemaDir({ 'a.yaml': yaml });
  return { problems: lintSchemaDirectory(dir).problems, file: join(dir, 'a.yaml') };
}

type ExpectedProblem = Partial<Omit<SchemaProblem, 'code'>> & { code: string };

function expectProblem(yaml: string, expected: ExpectedProblem): SchemaProblem {
  const { problems, file } = lintOne(yaml);
  expect(problems).toContainEqual(expect.objectContaining({ file, ...expected }));
  return problems.find((problem) => problem.code === expected.code && problem.field === expected.field)!;
}

describe('lintSchemaDirectory', () => {
  it('accepts a valid file and normalizes defaults', () => {
    const dir = schemaDir({ 'a.yaml': definitionYaml() });
    const result = lintSchemaDirectory(dir);
    expect(result.problems).toEqual([]);
    expect(result.files).toEqual([join(dir, 'a.yaml')]);
    expect(result.definitions).toEqual([
      {
        id: 'test.signal',
        domain: 'test',
        version: 1,
        summary: 'A test signal',
        retentionDays: 30,
        pii: 'none',
        additionalAttributes: 'reject',
        attributes: [
          { name: 'name', required: false, type: 'string', maxLength: 10 },
          { name: 'amount', required: false, type: 'number' },
        ],
        embeddingPolicy: { enabled: false },
        metricHints: [],
      },
    ]);
    expect(result.origins.get('test.signal@1')).toEqual({ file: join(dir, 'a.yaml'), line: 1 });
  });

  it('reads .yaml and .yml files in subdirectories, skipping other and hidden files', () => {
    const dir = schemaDir({
      'a.yaml': definitionYaml({ id: 'a.one' }),
      'nested/b.yml': definitionYaml({ id: 'b.one' }),
      'notes.txt': 'not yaml: [',
      '.hidden.yaml': 'broken: [',
    });
    const result = lintSchemaDirectory(dir);
    expect(result.problems).toEqual([]);
    expect(result.definitions.map((definition) => definition.id)).toEqual(['a.one', 'b.one']);
  });

  it('reports a missing directory', () => {
    expect(lintSchemaDirectory('/nonexistent/schemas').problems).toEqual([
      expect.objectContaining({ file: '/nonexistent/schemas', code: 'directory_missing' }),
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const { problems, file } = lintOne('- id: a.b\n  domain: [unclosed\n');
    expect(problems[0]).toMatchObject({ file, code: 'yaml_syntax' });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('reports duplicate keys in one mapping as a YAML error', () => {
    expectProblem('- id: a.b\n  id: a.c\n', { code: 'yaml_syntax', line: 2 });
  });

  it('reports a file that is not a list', () => {
    expectProblem('id: a.b\n', { code: 'not_a_list' });
  });

  it('accepts an empty file', () => {
    expect(lintOne('# nothing yet\n').problems).toEqual([]);
  });

  it('reports a list entry that is not a mapping', () => {
    expectProblem('- just a string\n', { code: 'invalid_type' });
  });

  describe('definition keys', () => {
    it('reports unknown keys at the definition level, with the line', () => {
      expectProblem(definitionYaml({ extra: '  retentionDay: 3' }), {
        definitionId: 'test.signal',
        version: 1,
        field: 'retentionDay',
        code: 'unknown_key',
        line: 10,
      });
    });

    it.each(['id', 'domain', 'version', 'summary', 'retentionDays', 'pii', 'attributes'])(
      'reports the missing required key %s',
      (key) => {
        const yaml = definitionYaml()
          .split('\n')
          .filter((line) => !line.trimStart().startsWith(`${key}:`) && !line.startsWith(`- ${key}:`))
          .map((line, index) => (index === 0 && !line.startsWith('-') ? `- ${line.trimStart()}` : line))
          .join('\n');
        const trimmed = key === 'attributes' ? yaml.replace(/^ {4}- .*$/gm, '') : yaml;
        expectProblem(trimmed, { field: key, code: 'missing_key' });
      },
    );

    it.each([
      ['version: "1"', 'version', 'invalid_type'],
      ['version: 0', 'version', 'invalid_type'],
      ['version: 1.5', 'version', 'invalid_type'],
      ['retentionDays: -1', 'retentionDays', 'invalid_type'],
      ['pii: secret', 'pii', 'invalid_value'],
      ['summary: ""', 'summary', 'invalid_type'],
      ['domain: Media', 'domain', 'invalid_value'],
    ])('reports %s as %s %s', (line, field, code) => {
      const [key] = line.split(':');
      const yaml = definitionYaml().replace(new RegExp(`^  ${key}: .*$`, 'm'), `  ${line}`);
      expectProblem(yaml, { definitionId: 'test.signal', field, code });
    });

    it('reports a wrong additionalAttributes value', () => {
      expectProblem(definitionYaml({ extra: '  additionalAttributes: maybe' }), {
        field: 'additionalAttributes',
        code: 'invalid_value',
      });
    });

    it('reports attributes that are not a list', () => {
      expectProblem(definitionYaml({ attributes: '    name: string' }), {
        field: 'attributes',
        code: 'invalid_type',
      });
    });

    it.each(['Content.View', 'content', 'content..view', 'content.view!', '1content.view'])(
      'rejects the id %s',
      (id) => {
        expectProblem(definitionYaml({ id: JSON.stringify(id) }), {
          definitionId: id,
          field: 'id',
          code: 'invalid_id',
        });
      },
    );

    it('accepts dotted lowercase ids with digits and underscores', () => {
      expect(lintOne(definitionYaml({ id: 'personalization.field_v2.access' })).problems).toEqual([]);
    });
  });

  describe('attributes', () => {
    const attr = (text: string) => definitionYaml({ attributes: `    - ${text}` });

    it('reports unknown keys inside an attribute, by attribute name', () => {
      expectProblem(attr('{ name: title, type: string, maxLenght: 5 }'), {
        definitionId: 'test.signal',
        field: 'attributes.title.maxLenght',
        code: 'unknown_key',
        line: 8,
      });
    });

    it('reports keys that belong to another type as unknown', () => {
      expectProblem(attr('{ name: count, type: integer, maxLength: 5 }'), {
        field: 'attributes.count.maxLength',
        code: 'unknown_key',
      });
    });

    it('reports a missing or unknown type', () => {
      expectProblem(attr('{ name: a }'), { field: 'attributes.a.type', code: 'missing_key' });
      expectProblem(attr('{ name: a, type: text }'), { field: 'attributes.a.type', code: 'invalid_value' });
    });

    it('reports a missing name by position', () => {
      expectProblem(attr('{ type: string }'), { field: 'attributes[0].name', code: 'missing_key' });
    });

    it.each(['__proto__', 'constructor', 'prototype'])('forbids the attribute name %s', (name) => {
      expectProblem(attr(`{ name: "${name}", type: string }`), {
        field: `attributes.${name}.name`,
        code: 'forbidden_attribute_name',
      });
    });

    it('rejects attribute names that are not identifiers', () => {
      expectProblem(attr('{ name: "a.b", type: string }'), {
        field: 'attributes.a.b.name',
        code: 'invalid_name',
      });
    });

    it('reports duplicate attribute names', () => {
      expectProblem(
        definitionYaml({ attributes: '    - { name: a, type: string }\n    - { name: a, type: number }' }),
        {
          field: 'attributes.a',
          code: 'duplicate_attribute',
          line: 9,
        },
      );
    });

    it('reports a non-boolean required flag', () => {
      expectProblem(attr('{ name: a, type: string, required: "yes" }'), {
        field: 'attributes.a.required',
        code: 'invalid_type',
      });
    });

    it.each([
      [
        '{ name: a, type: string, minLength: 5, maxLength: 2 }',
        'attributes.a.minLength',
        'impossible_constraint',
      ],
      ['{ name: a, type: number, minimum: 5, maximum: 2 }', 'attributes.a.minimum', 'impossible_constraint'],
      ['{ name: a, type: integer, minimum: 5, maximum: 2 }', 'attributes.a.minimum', 'impossible_constraint'],
      [
        '{ name: a, type: array, minItems: 5, maxItems: 2, items: { type: string } }',
        'attributes.a.minItems',
        'impossible_constraint',
      ],
      ['{ name: a, type: string, maxLength: -1 }', 'attributes.a.maxLength', 'invalid_type'],
      ['{ name: a, type: string, minLength: "3" }', 'attributes.a.minLength', 'invalid_type'],
      ['{ name: a, type: number, minimum: "0" }', 'attributes.a.minimum', 'invalid_type'],
      ['{ name: a, type: string, pattern: "([a-z" }', 'attributes.a.pattern', 'invalid_pattern'],
      ['{ name: a, type: string, format: phone }', 'attributes.a.format', 'invalid_value'],
      ['{ name: a, type: enum, values: [] }', 'attributes.a.values', 'empty_enum'],
      ['{ name: a, type: enum }', 'attributes.a.values', 'missing_key'],
      ['{ name: a, type: enum, values: [x, y, x] }', 'attributes.a.values[2]', 'duplicate_enum_value'],
      ['{ name: a, type: enum, values: [x, { y: 1 }] }', 'attributes.a.values[1]', 'invalid_type'],
      ['{ name: a, type: array, items: { type: string } }', 'attributes.a.maxItems', 'missing_key'],
      ['{ name: a, type: array, maxItems: 3 }', 'attributes.a.items', 'missing_key'],
      ['{ name: a, type: array, maxItems: 3, items: string }', 'attributes.a.items', 'invalid_type'],
      [
        '{ name: a, type: array, maxItems: 3, items: { name: b, type: string } }',
        'attributes.a.items.name',
        'unknown_key',
      ],
      [
        '{ name: a, type: array, maxItems: 3, items: { type: string, maxLength: x } }',
        'attributes.a.items.maxLength',
        'invalid_type',
      ],
      ['{ name: a, type: object }', 'attributes.a.attributes', 'missing_key'],
      [
        '{ name: a, type: object, attributes: [{ name: b, type: string, minLength: 3, maxLength: 1 }] }',
        'attributes.a.attributes.b.minLength',
        'impossible_constraint',
      ],
      [
        '{ name: a, type: object, attributes: [{ name: __proto__, type: string }] }',
        'attributes.a.attributes.__proto__.name',
        'forbidden_attribute_name',
      ],
      [
        '{ name: a, type: object, attributes: [], additionalAttributes: no }',
        'attributes.a.additionalAttributes',
        'invalid_value',
      ],
      ['{ name: a, type: boolean, values: [true] }', 'attributes.a.values', 'unknown_key'],
      ['{ name: a, type: timestamp, format: date-time }', 'attributes.a.format', 'unknown_key'],
    ])('reports %s at %s as %s', (text, field, code) => {
      expectProblem(attr(text), { definitionId: 'test.signal', version: 1, field, code });
    });
  });

  describe('embeddingPolicy', () => {
    const attributes = '    - { name: text, type: string }\n    - { name: score, type: number }';
    const policy = (text: string) => definitionYaml({ attributes, extra: `  embeddingPolicy: ${text}` });

    it('accepts a prepared, disabled policy on string fields', () => {
      expect(lintOne(policy('{ enabled: false, minLength: 10, fields: [text] }')).problems).toEqual([]);
    });

    it('accepts an enabled policy on string fields', () => {
      expect(lintOne(policy('{ enabled: true, minLength: 10, fields: [text] }')).problems).toEqual([]);
    });

    it.each([
      ['{ enabled: true }', 'embeddingPolicy.fields', 'missing_key'],
      ['{ minLength: 3 }', 'embeddingPolicy.enabled', 'missing_key'],
      ['{ enabled: yes }', 'embeddingPolicy.enabled', 'invalid_type'],
      ['{ enabled: true, fields: [body] }', 'embeddingPolicy.fields[0]', 'unknown_field'],
      ['{ enabled: true, fields: [score] }', 'embeddingPolicy.fields[0]', 'non_string_field'],
      ['{ enabled: false, model: x }', 'embeddingPolicy.model', 'unknown_key'],
      ['true', 'embeddingPolicy', 'invalid_type'],
    ])('reports %s at %s as %s', (text, field, code) => {
      expectProblem(policy(text), { definitionId: 'test.signal', field, code });
    });
  });

  describe('metricHints', () => {
    const attributes = [
      '    - { name: label, type: string }',
      '    - { name: amount, type: number }',
      '    - { name: cart, type: object, attributes: [{ name: total, type: integer }, { name: note, type: string }] }',
    ].join('\n');
    const hints = (...lines: string[]) =>
      definitionYaml({
        attributes,
        extra: `  metricHints:\n${lines.map((line) => `    - ${line}`).join('\n')}`,
      });

    it('accepts count, numeric and distinct hints, including dotted object paths', () => {
      const { problems } = lintOne(
        hints(
          '{ key: test.count, aggregation: count }',
          '{ key: test.amount, aggregation: sum, field: amount }',
          '{ key: test.cart_total, aggregation: max, field: cart.total }',
          '{ key: test.labels, aggregation: distinct, field: label }',
        ),
      );
      expect(problems).toEqual([]);
    });

    it.each([
      ['{ key: test.sum, aggregation: sum }', 'metricHints[0].field', 'missing_field'],
      ['{ key: test.distinct, aggregation: distinct }', 'metricHints[0].field', 'missing_field'],
      ['{ key: test.sum, aggregation: sum, field: missing }', 'metricHints[0].field', 'unknown_field'],
      ['{ key: test.sum, aggregation: avg, field: label }', 'metricHints[0].field', 'non_numeric_field'],
      ['{ key: test.sum, aggregation: min, field: cart }', 'metricHints[0].field', 'non_numeric_field'],
      ['{ key: test.sum, aggregation: max, field: cart.note }', 'metricHints[0].field', 'non_numeric_field'],
      [
        '{ key: test.sum, aggregation: median, field: amount }',
        'metricHints[0].aggregation',
        'invalid_value',
      ],
      ['{ aggregation: count }', 'metricHints[0].key', 'missing_key'],
      ['{ key: "Bad Key", aggregation: count }', 'metricHints[0].key', 'invalid_value'],
      ['{ key: test.count, aggregation: count, weight: 2 }', 'metricHints[0].weight', 'unknown_key'],
      ['{ key: test.count, aggregation: count, field: nope }', 'metricHints[0].field', 'unknown_field'],
    ])('reports %s at %s as %s', (text, field, code) => {
      expectProblem(hints(text), { definitionId: 'test.signal', field, code });
    });

    it('reports duplicate metric keys', () => {
      expectProblem(
        hints('{ key: test.count, aggregation: count }', '{ key: test.count, aggregation: count }'),
        {
          field: 'metricHints[1].key',
          code: 'duplicate_metric_key',
        },
      );
    });

    it('does not report a reference to an attribute that is already reported as broken', () => {
      const yaml = definitionYaml({
        attributes: '    - { name: amount, type: number, minimum: 3, maximum: 1 }',
        extra: '  metricHints:\n    - { key: test.sum, aggregation: sum, field: amount }',
      });
      expect(lintOne(yaml).problems.map((problem) => problem.code)).toEqual(['impossible_constraint']);
    });
  });

  describe('duplicates', () => {
    it('reports a duplicate (id, version) within one file, at the second one', () => {
      const { problems, file } = lintOne(`${definitionYaml()}\n${definitionYaml()}`);
      expect(problems).toEqual([
        expect.objectContaining({
          file,
          definitionId: 'test.signal',
          version: 1,
          field: 'version',
          code: 'duplicate_definition',
          // definitionYaml() ends with an empty line, so the second definition starts on line 11.
          line: 11,
          message: `test.signal@1 is already defined in ${file}:1`,
        }),
      ]);
    });

    it('reports a duplicate (id, version) across files and keeps the first', () => {
      const dir = schemaDir({ 'a.yaml': definitionYaml(), 'b.yaml': definitionYaml() });
      const result = lintSchemaDirectory(dir);
      expect(result.problems).toEqual([
        expect.objectContaining({
          file: join(dir, 'b.yaml'),
          definitionId: 'test.signal',
          code: 'duplicate_definition',
        }),
      ]);
      expect(result.definitions).toHaveLength(1);
    });

    it('allows several versions of one id', () => {
      const dir = schemaDir({ 'a.yaml': definitionYaml(), 'b.yaml': definitionYaml({ version: 2 }) });
      expect(lintSchemaDirectory(dir).problems).toEqual([]);
    });

    it('reports duplicates across directories (an add-on shipping its own schemas)', () => {
      const core = schemaDir({ 'core.yaml': definitionYaml() });
      const addOn = schemaDir({ 'addon.yaml': definitionYaml() });
      expect(lintSchemaDirectory([core, addOn]).problems).toEqual([
        expect.objectContaining({ file: join(addOn, 'addon.yaml'), code: 'duplicate_definition' }),
      ]);
    });
  });

  it('keeps linting after a problem and reports every problem in every file', () => {
    const dir = schemaDir({
      'a.yaml': definitionYaml({
        attributes: '    - { name: a, type: string, maxLength: x }',
        extra: '  colour: red',
      }),
      'b.yaml': definitionYaml({ id: 'b.one', attributes: '    - { name: b, type: enum, values: [] }' }),
    });
    const result = lintSchemaDirectory(dir);
    expect(result.problems.map((p) => [p.definitionId, p.field, p.code])).toEqual([
      ['test.signal', 'colour', 'unknown_key'],
      ['test.signal', 'attributes.a.maxLength', 'invalid_type'],
      ['b.one', 'attributes.b.values', 'empty_enum'],
    ]);
    expect(result.definitions).toEqual([]);
  });
});

describe('lintSchemaDefinitions and mergeDefinitions (definitions contributed in code)', () => {
  const definition = (id: string) => ({
    id,
    domain: 'commerce',
    version: 1,
    summary: 'x',
    retentionDays: 30,
    pii: 'none',
    attributes: [],
  });

  it('lints definitions given as data, naming the origin as the file', () => {
    const result = lintSchemaDefinitions(
      [{ ...definition('commerce.cart'), extra: 1 }],
      '@lssm/behavior-commerce',
    );
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: '@lssm/behavior-commerce',
        definitionId: 'commerce.cart',
        field: 'extra',
      }),
    ]);
  });

  it('reports a definition contributed twice across sources', () => {
    const dir = schemaDir({ 'a.yaml': definitionYaml({ id: 'commerce.cart' }) });
    const merged = mergeDefinitions(
      lintSchemaDirectory(dir),
      lintSchemaDefinitions(
        [definition('commerce.cart'), definition('commerce.order')],
        '@lssm/behavior-commerce',
      ),
    );
    expect(merged.problems).toEqual([
      expect.objectContaining({
        file: '@lssm/behavior-commerce',
        definitionId: 'commerce.cart',
        code: 'duplicate_definition',
        message: `commerce.cart@1 is already defined in ${join(dir, 'a.yaml')}:1`,
      }),
    ]);
    expect(merged.definitions.map((d) => d.id)).toEqual(['commerce.cart', 'commerce.order']);
  });
});

describe('loadSchemaRegistry', () => {
  it('builds a registry from directories and contributions', () => {
    const dir = schemaDir({ 'a.yaml': definitionYaml() });
    const registry = loadSchemaRegistry(dir, {
      contributions: [
        lintSchemaDefinitions(
          [
            {
              id: 'addon.thing',
              domain: 'addon',
              version: 1,
              summary: 'x',
              retentionDays: 1,
              pii: 'none',
              attributes: [],
            },
          ],
          'addon',
        ),
      ],
    });
    expect(registry.ids()).toEqual(['addon.thing', 'test.signal']);
  });

  it('throws a SchemaLoadError listing every problem with file, line, id, field and reason', () => {
    const dir = schemaDir({
      'a.yaml': definitionYaml({ attributes: '    - { name: a, type: string, minLength: 4, maxLength: 2 }' }),
      'b.yaml': 'key: [',
    });
    let error: unknown;
    try {
      loadSchemaRegistry(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SchemaLoadError);
    const loadError = error as SchemaLoadError;
    expect(loadError.problems).toHaveLength(2);
    expect(loadError.message).toContain(
      `${join(dir, 'a.yaml')}:8 test.signal@1 attributes.a.minLength: "minLength" (4) is greater than "maxLength" (2); no value can match [impossible_constraint]`,
    );
    expect(loadError.message).toContain(`${join(dir, 'b.yaml')}:`);
    expect(loadError.message).toContain('[yaml_syntax]');
  });

  it('names each source and what it loaded, and refuses an id and version two sources share', () => {
    const starter = schemaDir({ 'a.yaml': definitionYaml() });
    const mine = schemaDir({ 'b.yaml': definitionYaml({ id: 'test.mine' }) });
    const lines: string[] = [];
    loadSchemaRegistry(
      [
        { origin: 'starter', dir: starter },
        { origin: 'config', dir: mine },
      ],
      { log: (line) => lines.push(line) },
    );
    expect(lines).toEqual([
      `1 schema from starter (${starter}): test.signal@1`,
      `1 schema from config (${mine}): test.mine@1`,
    ]);
    const clash = schemaDir({ 'c.yaml': definitionYaml() });
    expect(() =>
      loadSchemaRegistry([
        { origin: 'starter', dir: starter },
        { origin: 'config', dir: clash },
      ]),
    ).toThrow(/test\.signal@1 is already defined in .*a\.yaml.*\[duplicate_definition\]/s);
  });
});
