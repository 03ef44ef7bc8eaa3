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
    const bad = ops
      .filter((o) => !o.operationId || !o.summary || !o.tags?.length)
      .map((o) => `${o.method} ${o.path}`);
    expect(bad).toEqual([]);
    const publicPaths = new Set(['/api/ai-behavior/health', '/metrics', '/overlay-editor']);
    const unsecured = ops
      .filter((o) => !publicPaths.has(o.path) && !o.security?.length)
      .map((o) => `${o.method} ${o.path}`);
    expect(unsecured).toEqual([]);
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
