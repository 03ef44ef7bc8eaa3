import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';

/*
 * Property-based fuzzing of the running service: arbitrary strings and numbers (NUL, lone
 * surrogates, huge numbers and exponents, very long values, any Unicode, broken percent
 * encoding) in every path and query parameter of every GET route, and arbitrary JSON (deep
 * nesting included) in the overlay and workflow bodies. The routes come from the OpenAPI
 * document, so a new route is fuzzed without touching this file. Properties: never a 5xx,
 * every error in the service's shape, every response bounded in size.
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed in the failure> npm test -- <this file>.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const TIME_LIMIT_MS = 20_000; // per property; the whole file stays well under a minute
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const USER = 'fuzz-user';
const OVERLAY = 'fuzz-overlay';
const WORKFLOW = 'fuzz-workflow';

interface Route {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyProperties: string[] | null;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function routesOf(doc: OpenAPIV3.Document): Route[] {
  const schemas = doc.components?.schemas ?? {};
  const propertiesOf = (body: OpenAPIV3.OperationObject['requestBody']): string[] | null => {
    if (!body || '$ref' in body) return null;
    let schema = body.content?.['application/json']?.schema;
    if (schema && '$ref' in schema) schema = schemas[schema.$ref.split('/').pop()!] as OpenAPIV3.SchemaObject;
    return Object.keys((schema as OpenAPIV3.SchemaObject | undefined)?.properties ?? {});
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const op = item?.[method];
      if (!op) return [];
      const params = (op.parameters ?? []).filter((p): p is OpenAPIV3.ParameterObject => !('$ref' in p));
      return [
        {
          method: method.toUpperCase(),
          path,
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
          bodyProperties: propertiesOf(op.requestBody),
        },
      ];
    }),
  );
}

// ---- values -------------------------------------------------------------------------------------

const hostileChar = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\ud800',
      '\udfff',
      '😀',
      '%',
      '/',
      '?',
      '#',
      '&',
      '=',
      '.',
      '[',
      ']',
    ),
  },
);

const hostileString = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 40 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '-0',
    '1.5',
    ' 1',
    '0x10',
    'NaN',
    'Infinity',
    '1e999999',
    '-1e-999999',
    '2147483648',
    '9223372036854775808',
    '99999999999999999999',
    '0000-01-01',
    '2026-02-30',
    '-100000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-14:00',
    'true',
  ),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.double().map(String),
  fc
    .tuple(fc.constantFrom('a', '😀', '\u0000', 'é'), fc.integer({ min: 100, max: 3000 }))
    .map(([c, n]) => c.repeat(n)),
);

/** Percent-encodes the UTF-8 bytes (a lone surrogate has none: it arrives as U+FFFD, as from any client). */
const encode = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0')}`,
    )
    .join('');

/** What a URL can carry: any value encoded, or raw byte sequences that are not valid UTF-8 / percent-encoding. */
const urlValue = fc.oneof(
  { weight: 8, arbitrary: hostileString.map(encode) },
  { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', '%', '%zz', '%C0%AE', '%00', '%FF%FE') },
);

const pathValue = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: urlValue },
    {
      weight: 1,
      arbitrary: fc.constant(
        name === 'userId' ? USER : name === 'overlayId' ? OVERLAY : name === 'id' ? WORKFLOW : '1',
      ),
    },
  );

const nestedJson = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** JSON text: ordinary values, hostile strings, numbers JavaScript cannot hold, deep nesting. */
const jsonText = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 3, arbitrary: hostileString.map((s) => JSON.stringify(s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('1e999', '-1e999', '99999999999999999999', '2147483648', '1e-999'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map(nestedJson) },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
      .map((v) => JSON.stringify(v)),
  },
);

// ---- checks -------------------------------------------------------------------------------------

async function send(t: TestApp, method: string, url: string, key: string, body?: string) {
  const response = await fetch(`${t.baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  return { status: response.status, text, type: response.headers.get('content-type') ?? '' };
}

function check(result: { status: number; text: string; type: string }, what: string): void {
  const context = `${what} → ${result.status} ${result.text.slice(0, 300)}`;
  if (result.status >= 500) throw new Error(`5xx: ${context}`);
  if (Buffer.byteLength(result.text) > MAX_RESPONSE_BYTES) throw new Error(`response too large: ${context}`);
  if (result.status >= 400) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(result.text);
    } catch {
      throw new Error(`error body is not JSON: ${context}`);
    }
    const shaped =
      body.statusCode === result.status &&
      typeof body.error === 'string' &&
      typeof body.message === 'string' &&
      typeof body.code === 'string' &&
      /^[a-z_]+$/.test(body.code);
    if (!shaped) throw new Error(`error not in the service's shape: ${context}`);
  }
}

async function assertWithSeed(property: fc.IAsyncProperty<any>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, {
      seed: SEED,
      numRuns,
      interruptAfterTimeLimit: TIME_LIMIT_MS,
      markInterruptAsFailure: false,
    });
  } catch (error) {
    throw new Error(`fuzz failed with FUZZ_SEED=${SEED}\n${(error as Error).message}`, { cause: error });
  }
}

describe('fuzzing every parameter of the running service (e2e)', () => {
  let t: TestApp;
  let key: string;
  let routes: Route[];

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { overlays: { keyEncryptionKey: randomBytes(32).toString('base64') } },
    });
    key = await createTenantWithKey(t, 'fuzz', ['admin', 'read', 'ingest']);
    // Some data, so known ids reach the code past the "not found" checks.
    const seeded = await Promise.all([
      t.request('POST', '/api/ai-behavior/signals', {
        key,
        body: { schemaId: 'ui.click', userId: USER, attributes: { elementId: 'buy', position: 3 } },
      }),
      t.request('POST', '/api/overlays', {
        key,
        body: { overlayId: OVERLAY, capability: 'c', operations: [{ type: 'hideField', field: 'f' }] },
      }),
      t.request('PUT', `/api/workflows/${WORKFLOW}/versions/1`, {
        key,
        body: {
          start: 'a',
          terminal: ['a'],
          steps: [{ id: 'a', type: 'task', label: 'A', transitions: [] }],
        },
      }),
    ]);
    expect(seeded.map((r) => r.status)).toEqual([201, 201, 201]);
    routes = routesOf((await t.request('GET', '/docs-json')).body);
    console.log(`fuzz seed ${SEED} (FUZZ_SEED to reproduce)`);
  });
  afterAll(() => t?.close());

  it('GET routes: any path and query value is answered without a 5xx, in the error shape, bounded', async () => {
    const gets = routes.filter((r) => r.method === 'GET');
    expect(gets.length).toBeGreaterThan(20);
    const request = fc.constantFrom(...gets).chain((route) =>
      fc.record({
        route: fc.constant(route),
        path: fc.tuple(...route.pathParams.map(pathValue), fc.constant('')),
        query: fc.array(
          fc.tuple(
            fc.oneof(
              {
                weight: 4,
                arbitrary:
                  route.queryParams.length > 0 ? fc.constantFrom(...route.queryParams) : fc.constant('x'),
              },
              {
                weight: 1,
                arbitrary: fc.constantFrom('attr.position', 'attr.position[gte]', 'attr.x[lt]', 'limit'),
              },
              { weight: 1, arbitrary: urlValue },
            ),
            urlValue,
          ),
          { maxLength: 4 },
        ),
      }),
    );
    await assertWithSeed(
      fc.asyncProperty(request, async ({ route, path, query }) => {
        let i = 0;
        const url =
          route.path.replace(/\{[^}]+\}/g, () => path[i++]) +
          (query.length > 0 ? `?${query.map(([k, v]) => `${encodeKey(k)}=${v}`).join('&')}` : '');
        const auth = route.path.startsWith('/api/admin') ? TEST_ADMIN_KEY : key;
        check(await send(t, 'GET', url, auth), `GET ${url}`);
      }),
      RUNS,
    );
  }, 60_000);

  it('overlay and workflow bodies: any JSON is answered without a 5xx, in the error shape', async () => {
    const writes = routes.filter(
      (r) => r.bodyProperties !== null && /^\/api\/(overlays|workflows)/.test(r.path) && r.method !== 'GET',
    );
    expect(writes.length).toBeGreaterThan(5);
    const request = fc.constantFrom(...writes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        path: fc.tuple(...route.pathParams.map(pathValue), fc.constant('')),
        fields: fc.array(
          fc.tuple(
            fc.oneof(
              {
                weight: 5,
                arbitrary: fc.constantFrom(...(route.bodyProperties!.length ? route.bodyProperties! : ['x'])),
              },
              { weight: 1, arbitrary: hostileString },
            ),
            jsonText,
          ),
          { maxLength: 6 },
        ),
      }),
    );
    await assertWithSeed(
      fc.asyncProperty(request, async ({ route, path, fields }) => {
        let i = 0;
        const url = route.path.replace(/\{[^}]+\}/g, () => path[i++]);
        const body = `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
        check(await send(t, route.method, url, key, body), `${route.method} ${url} ${body.slice(0, 200)}`);
      }),
      RUNS,
    );
  }, 60_000);
});

/** Query keys travel like values, but the attribute-filter brackets stay readable. */
function encodeKey(key: string): string {
  return /^[A-Za-z0-9_.[\]%-]*$/.test(key) ? key : encode(key);
}
