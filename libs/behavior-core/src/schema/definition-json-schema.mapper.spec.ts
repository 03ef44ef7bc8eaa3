import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toJsonSchema } from './definition-json-schema.mapper.js';
import { SchemaRegistry } from './schema-registry.js';

const definitionInput = {
  id: 'shop.cart.update',
  domain: 'shop',
  version: 2,
  summary: 'Cart changed',
  retentionDays: 30,
  pii: 'pseudonymous',
  attributes: [
    { name: 'cartId', type: 'string', required: true, format: 'uuid' },
    {
      name: 'note',
      type: 'string',
      minLength: 1,
      maxLength: 5,
      pattern: '^[a-z]+$',
      description: 'Lowercase note',
    },
    { name: 'total', type: 'number', minimum: 0 },
    { name: 'count', type: 'integer', maximum: 10 },
    { name: 'gift', type: 'boolean' },
    { name: 'channel', type: 'enum', values: ['web', 'app'] },
    { name: 'at', type: 'timestamp' },
    {
      name: 'items',
      type: 'array',
      maxItems: 2,
      items: { type: 'object', attributes: [{ name: 'sku', type: 'string', required: true }] },
    },
  ],
};

const registry = SchemaRegistry.fromDefinitions([definitionInput]);
const definition = registry.get('shop.cart.update')!;

describe('toJsonSchema', () => {
  it('exports a standalone draft 2020-12 schema with a stable $id', () => {
    expect(toJsonSchema(definition)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:lssm:schema:shop.cart.update:2',
      title: 'Cart changed',
      description: 'Cart changed',
      type: 'object',
      properties: {
        cartId: { type: 'string', format: 'uuid' },
        note: {
          type: 'string',
          minLength: 1,
          maxLength: 5,
          pattern: '^[a-z]+$',
          description: 'Lowercase note',
        },
        total: { type: 'number', minimum: 0 },
        count: { type: 'integer', maximum: 10 },
        gift: { type: 'boolean' },
        channel: { enum: ['web', 'app'] },
        at: { type: 'string', format: 'date-time' },
        items: {
          type: 'array',
          maxItems: 2,
          items: {
            type: 'object',
            properties: { sku: { type: 'string' } },
            required: ['sku'],
            additionalProperties: false,
          },
        },
      },
      required: ['cartId'],
      additionalProperties: false,
    });
  });

  it('uses the description when the definition has one', () => {
    const described = SchemaRegistry.fromDefinitions([
      { ...definitionInput, description: 'Longer text' },
    ]).get('shop.cart.update')!;
    expect(toJsonSchema(described)).toMatchObject({ title: 'Cart changed', description: 'Longer text' });
  });

  it('is plain JSON (survives a round trip unchanged)', () => {
    const schema = toJsonSchema(definition);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('accepts and rejects exactly what the registry does, in a fresh Ajv', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormatsModule.default(ajv);
    const standalone = ajv.compile(JSON.parse(JSON.stringify(toJsonSchema(definition))));
    const cartId = '0190a3b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b';
    const inputs: unknown[] = [
      { cartId },
      { cartId, note: 'abc', total: 1.5, count: 3, gift: true, channel: 'app', at: '2025-01-01T00:00:00Z' },
      { cartId, items: [{ sku: 'a' }, { sku: 'b' }] },
      {},
      { cartId: 'nope' },
      { cartId, note: 'ABC' },
      { cartId, note: 'toolong' },
      { cartId, note: '' },
      { cartId, total: -1 },
      { cartId, count: 11 },
      { cartId, count: 1.5 },
      { cartId, gift: 'yes' },
      { cartId, channel: 'fax' },
      { cartId, at: 'not a date' },
      { cartId, items: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }] },
      { cartId, items: [{}] },
      { cartId, items: [{ sku: 'a', extra: 1 }] },
      { cartId, unknown: true },
      null,
      'string',
    ];
    for (const input of inputs) {
      expect([input, standalone(input)]).toEqual([input, registry.validate('shop.cart.update', 2, input).ok]);
    }
  });
});
