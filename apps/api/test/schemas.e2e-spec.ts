import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

// A user's directory with a schema in two versions, layered over the starter set.
const VERSIONED = `
- id: test.versioned
  domain: test
  version: 1
  summary: First shape
  retentionDays: 30
  pii: none
  attributes:
    - { name: a, type: string, required: true }
- id: test.versioned
  domain: test
  version: 2
  summary: Second shape
  retentionDays: 30
  pii: none
  attributes:
    - { name: a, type: string, required: true }
    - { name: tags, type: array, maxItems: 5, items: { type: enum, values: [x, y] } }
    - name: where
      type: object
      attributes:
        - { name: page, type: integer, minimum: 1 }
`;

describe('schemas API (e2e)', () => {
  let t: TestApp;
  let dir: string;
  let read: string;
  let ingestOnly: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'schemas-api-'));
    writeFileSync(join(dir, 'test.yaml'), VERSIONED);
    t = await startTestApp({ overrides: { ai: { behavior: { schemas: { path: [dir] } } } } });
    read = await createTenantWithKey(t, 'acme', ['read']);
    ingestOnly = await createTenantWithKey(t, 'acme', ['ingest']);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, key: string | undefined = read) => t.request('GET', path, { key });

  it('lists every definition sorted by id then version', async () => {
    const res = await get('/api/ai-behavior/schemas');
    expect(res.status).toBe(200);
    const keys = res.body.items.map((s: any) => `${s.id}@${s.version}`);
    expect(keys).toEqual(expect.arrayContaining(['content.view@1', 'test.versioned@1', 'test.versioned@2']));
    expect(keys).toEqual(
      [...res.body.items]
        .sort((a: any, b: any) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1))
        .map((s: any) => `${s.id}@${s.version}`),
    );
    const view = res.body.items.find((s: any) => s.id === 'content.view');
    expect(view).toMatchObject({
      domain: 'content',
      version: 1,
      pii: 'pseudonymous',
      additionalAttributes: 'reject',
      embeddingPolicy: { enabled: false },
    });
    expect(view.attributes[0]).toMatchObject({ name: 'contentId', type: 'string', required: true });
    expect(view.metricHints).toEqual(
      expect.arrayContaining([{ key: 'engagement.view', aggregation: 'count' }]),
    );
    expect(view.jsonSchema).toBeUndefined();
  });

  it('filters by domain and version', async () => {
    const test = await get('/api/ai-behavior/schemas?domain=test');
    expect(test.body.items.map((s: any) => s.version)).toEqual([1, 2]);
    const v2 = await get('/api/ai-behavior/schemas?version=2');
    expect(v2.body.items.map((s: any) => `${s.id}@${s.version}`)).toEqual(['test.versioned@2']);
    const both = await get('/api/ai-behavior/schemas?domain=content&version=1');
    expect(both.body.items.length).toBeGreaterThan(0);
    expect(both.body.items.every((s: any) => s.domain === 'content' && s.version === 1)).toBe(true);
    expect(both.body.items.length).toBeGreaterThan(0);
    expect((await get('/api/ai-behavior/schemas?domain=none')).body.items).toEqual([]);
  });

  it('400 for a bad version or an unknown parameter', async () => {
    for (const query of ['version=abc', 'version=0', 'kind=x']) {
      const res = await get(`/api/ai-behavior/schemas?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_query');
    }
  });

  it('gets all versions of one schema, each with its JSON Schema', async () => {
    const res = await get('/api/ai-behavior/schemas/test.versioned');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('test.versioned');
    expect(res.body.latestVersion).toBe(2);
    expect(res.body.versions.map((v: any) => v.version)).toEqual([1, 2]);
    const v2 = res.body.versions[1];
    expect(v2.summary).toBe('Second shape');
    expect(v2.attributes.find((a: any) => a.name === 'tags')).toMatchObject({
      type: 'array',
      maxItems: 5,
      items: { type: 'enum', values: ['x', 'y'] },
    });
    expect(v2.jsonSchema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:lssm:schema:test.versioned:2',
      type: 'object',
      required: ['a'],
    });
    expect(v2.jsonSchema.properties.where.properties.page).toMatchObject({ type: 'integer', minimum: 1 });
    expect(res.body.versions[0].jsonSchema.properties.tags).toBeUndefined();
  });

  it('404 for an unknown schema id', async () => {
    const res = await get('/api/ai-behavior/schemas/nope.unknown');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'schema_not_found' });
  });

  it('401 without a key, 403 without the read scope', async () => {
    for (const path of ['/api/ai-behavior/schemas', '/api/ai-behavior/schemas/content.view']) {
      expect((await t.request('GET', path)).status).toBe(401);
      expect((await get(path, ingestOnly)).status).toBe(403);
    }
  });

  it('describes every response in OpenAPI for generated clients', async () => {
    const doc = (await t.request('GET', '/docs-json')).body;
    const ok = (path: string, method = 'get') =>
      doc.paths[path][method].responses['200'].content['application/json'].schema.$ref;
    expect(ok('/api/ai-behavior/schemas')).toBe('#/components/schemas/SignalSchemaListDto');
    expect(ok('/api/ai-behavior/schemas/{id}')).toBe('#/components/schemas/SignalSchemaVersionsDto');
    expect(ok('/api/ai-behavior/failed-signals')).toBe('#/components/schemas/FailedSignalPageDto');
    expect(ok('/api/ai-behavior/failed-signals/replay', 'post')).toBe('#/components/schemas/ReplayResultDto');
    const shape = doc.components.schemas.AttributeShapeDto;
    expect(shape.properties.items.$ref ?? shape.properties.items.allOf?.[0]?.$ref).toBe(
      '#/components/schemas/AttributeShapeDto',
    );
    expect(doc.components.schemas.AttributeDefinitionDto.required).toEqual(
      expect.arrayContaining(['name', 'required', 'type']),
    );
  });
});
