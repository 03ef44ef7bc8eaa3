import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { startTestApp, type TestApp } from '../../../test/support/test-app';

type Operation = OpenAPIV3.OperationObject & { method: string; path: string };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operationsOf(doc: OpenAPIV3.Document): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item?.[method];
      return op ? [{ ...op, method, path }] : [];
    }),
  );
}

function resolve<T>(doc: OpenAPIV3.Document, value: T | OpenAPIV3.ReferenceObject): T {
  if (value && typeof value === 'object' && '$ref' in value) {
    const name = value.$ref.replace('#/components/schemas/', '');
    return doc.components!.schemas![name] as T;
  }
  return value as T;
}

/** A body schema a generated client can type: a $ref, or an inline schema that says what it holds. */
function isTyped(
  doc: OpenAPIV3.Document,
  schema: OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject | undefined,
) {
  if (!schema) return false;
  const s = resolve(doc, schema) as OpenAPIV3.SchemaObject & { items?: unknown };
  return Boolean(s.type || s.properties || s.allOf || s.oneOf || s.anyOf || s.items || s.enum);
}

// The generated client is only as good as the document: every endpoint must say what it takes,
// what it returns and how it fails, in a document a standard validator accepts.
describe.each([
  ['add-ons off', {}],
  ['commerce add-on on', { ai: { behavior: { addOns: { commerce: { enabled: true } } } } }],
])('OpenAPI document (%s)', (_name, overrides) => {
  let t: TestApp;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    t = await startTestApp({ overrides });
    doc = (await t.request('GET', '/docs-json')).body;
  });
  afterAll(() => t?.close());

  it('is valid OpenAPI 3 with every $ref resolvable', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('gives every operation a unique id, a summary, a tag and its auth', () => {
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(30);
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    // One convention (openapi-document.ts): verbNoun camelCase, which generated clients use as is.
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id ?? ''))).toEqual([]);
    const bad = ops
      .filter((o) => !o.operationId || !o.summary || !o.tags?.length)
      .map((o) => `${o.method} ${o.path}`);
    expect(bad).toEqual([]);
    const publicPaths = new Set(['/api/ai-behavior/health', '/metrics', '/overlay-editor']);
    const unsecured = ops
      .filter((o) => !publicPaths.has(o.path) && !o.security?.length)
      .map((o) => `${o.method} ${o.path}`);
    expect(unsecured).toEqual([]);
    // Public routes say so explicitly (Redocly's security-defined), instead of inheriting nothing.
    for (const op of ops.filter((o) => publicPaths.has(o.path))) expect(op.security).toEqual([]);
  });

  it('gives every error response an example of its own status', () => {
    const problems: string[] = [];
    for (const op of operationsOf(doc)) {
      for (const [status, response] of Object.entries(op.responses)) {
        const media = resolve(doc, response).content?.['application/json'];
        const ref = (media?.schema as OpenAPIV3.ReferenceObject | undefined)?.$ref ?? '';
        if (!/^[45]/.test(status) || !ref.endsWith('ErrorResponseDto')) continue;
        const example = media?.example as { statusCode?: number; code?: string } | undefined;
        const expected = /^\d+$/.test(status) ? Number(status) : status === '4XX' ? 400 : 503;
        if (example?.statusCode !== expected || !example.code)
          problems.push(`${op.method} ${op.path} ${status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('types attr.* filters, JSON values and overlay operations for generated clients', () => {
    const list = doc.paths['/api/ai-behavior/users/{userId}/signals']!.get!;
    const filters = list.parameters!.find(
      (p) => (p as OpenAPIV3.ParameterObject).name === 'filters',
    ) as OpenAPIV3.ParameterObject;
    // form + explode: each property goes on the wire as its own `attr.<name>[op]=value`.
    expect(filters).toMatchObject({ in: 'query', style: 'form', explode: true, schema: { type: 'object' } });
    expect(Object.keys((filters.schema as OpenAPIV3.SchemaObject).example)).toContain('attr.amount[gte]');

    const schemas = doc.components!.schemas! as Record<string, OpenAPIV3.SchemaObject>;
    const value = schemas.SetDefaultOperationDto.properties!.value as OpenAPIV3.SchemaObject;
    expect(value.type).toBeUndefined();
    expect(value.oneOf!.map((s) => (s as OpenAPIV3.SchemaObject).type)).toEqual(
      expect.arrayContaining(['string', 'number', 'boolean', 'object', 'array']),
    );
    const operations = schemas.CreateOverlayDto.properties!.operations as OpenAPIV3.ArraySchemaObject;
    const items = operations.items as OpenAPIV3.SchemaObject;
    expect(items.discriminator?.propertyName).toBe('type');
    expect(Object.keys(items.discriminator!.mapping!).sort()).toEqual([
      'hideField',
      'renameLabel',
      'reorderFields',
      'setDefault',
      'setReadOnly',
      'showField',
    ]);
    expect(items.oneOf).toHaveLength(6);
  });

  it('types every success body and every request body', () => {
    const problems: string[] = [];
    const withBody = operationsOf(doc).filter((o) => o.requestBody);
    expect(withBody.length).toBeGreaterThan(10);
    for (const op of operationsOf(doc)) {
      const name = `${op.method} ${op.path}`;
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) problems.push(`${name}: no success response`);
      for (const [status, response] of success) {
        const content = resolve(doc, response).content;
        if (status === '204') continue;
        const media = content?.['application/json'] ?? Object.values(content ?? {})[0];
        if (!isTyped(doc, media?.schema)) problems.push(`${name} ${status}: untyped body`);
      }
      if (op.requestBody) {
        const body = resolve(doc, op.requestBody);
        if (!isTyped(doc, body.content['application/json']?.schema))
          problems.push(`${name}: untyped request`);
      }
      for (const status of ['4XX', '5XX']) {
        const schema = (op.responses[status] as OpenAPIV3.ResponseObject | undefined)?.content?.[
          'application/json'
        ]?.schema as OpenAPIV3.ReferenceObject | undefined;
        if (schema?.$ref !== '#/components/schemas/ErrorResponseDto') problems.push(`${name}: no ${status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares the error shape with its machine-readable code and per-item details', () => {
    const error = doc.components!.schemas!.ErrorResponseDto as OpenAPIV3.SchemaObject;
    expect(Object.keys(error.properties!)).toEqual(
      expect.arrayContaining(['statusCode', 'error', 'message', 'code', 'details']),
    );
  });
});
