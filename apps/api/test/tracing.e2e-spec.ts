import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignalStreamWorker } from '@lssm/behavior-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import pg from 'pg';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry, type Telemetry } from '../src/observability/telemetry';
import { startServiceProcess, type ServiceProcess } from '../../../test/support/service-process';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '../../../test/support/test-database';
import { startWorkerProcess, type WorkerProcess } from '../../../test/support/worker-process';
import { waitFor } from '../../../test/support/wait-for';

const view = (userId: string, contentId: string) => ({
  schemaId: 'content.view',
  userId,
  attributes: { contentId, durationSeconds: 4 },
});

describe('tracing (e2e, in memory): validation, group commit, projection batch, job run', () => {
  const memory = new InMemorySpanExporter();
  let telemetry: Telemetry;
  let t: TestApp;

  beforeAll(async () => {
    // Before the app: createApp then finds this SDK started (one per process).
    telemetry = startTelemetry({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
    // Jest loads modules through its own registry, never through Node's require where the
    // instrumentations hook: patch the pg module the app uses explicitly (as bundlers do).
    const pgInstrumentation = new PgInstrumentation({ requireParentSpan: true });
    for (const definition of pgInstrumentation.getModuleDefinitions().filter((d) => d.name === 'pg'))
      definition.patch?.(pg);
    t = await startTestApp({
      overrides: { ai: { behavior: { stream: { pollIntervalMs: 50 } } } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await telemetry?.shutdown();
  });

  const named = (name: string) => memory.getFinishedSpans().filter((s) => s.name === name);
  const id = (span: ReadableSpan) => span.spanContext().spanId;

  it('links each ingest request to the group commit that carried it, and back', async () => {
    const key = await createTenantWithKey(t, 'trace-co', ['ingest']);
    memory.reset();
    // Concurrent requests so that at least some share one commit.
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.request('POST', '/api/ai-behavior/signals/batch', {
          key,
          body: { signals: [view(`t-${i}`, 'a'), view(`t-${i}`, 'b'), { schemaId: 'content.view' }] },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));

    const ingests = await waitFor(
      () => named('behavior.signals.ingest'),
      (found) => found.length === 6,
    );
    const commits = named('behavior.signals.group_commit');
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.length).toBeLessThanOrEqual(6);
    // The group sizes add up to every item written once: 12 signals and 6 kept failures.
    expect(commits.reduce((n, c) => n + Number(c.attributes['behavior.group.size']), 0)).toBe(18);
    for (const ingest of ingests) {
      const validations = named('behavior.signals.validate').filter(
        (v) => v.parentSpanContext?.spanId === id(ingest),
      );
      expect(validations).toHaveLength(1);
      expect(validations[0].attributes).toMatchObject({
        'behavior.signal.count': 3,
        'behavior.signal.rejected': 1,
      });
      const carriers = commits.filter((c) => c.links.some((l) => l.context.spanId === id(ingest)));
      expect(carriers).toHaveLength(1);
      expect(ingest.links.map((l) => l.context.spanId)).toContain(id(carriers[0]));
    }
    for (const commit of commits) {
      expect(commit.parentSpanContext).toBeUndefined();
      expect(commit.attributes['behavior.group.requests']).toBe(commit.links.length);
      // The group's SQL runs under its commit span.
      const queries = memory
        .getFinishedSpans()
        .filter(
          (s) =>
            s.parentSpanContext?.spanId === id(commit) && s.attributes['db.system.name'] === 'postgresql',
        );
      expect(queries.length).toBeGreaterThan(0);
    }
  });

  it('a projection batch and a job run are spans', async () => {
    await t.app.get(SignalStreamWorker).drain();
    const batches = await waitFor(
      () => named('behavior.projection.batch'),
      (found) => found.length > 0,
    );
    expect(batches.length).toBeGreaterThan(0);
    // Idle polls (every 50 ms here) make no batch span.
    await new Promise((r) => setTimeout(r, 300));
    const all = named('behavior.projection.batch');
    expect(all.filter((b) => !(Number(b.attributes['behavior.signal.count']) > 0))).toEqual([]);
    const run = await t.request('POST', '/api/ai-behavior/jobs/segmentation/run', { key: TEST_ADMIN_KEY });
    expect([200, 202]).toContain(run.status);
    const jobs = await waitFor(
      () => named('behavior.job segmentation'),
      (found) => found.length > 0,
    );
    expect(jobs[0].attributes).toMatchObject({ 'behavior.job.name': 'segmentation' });
  });
});

interface OtlpSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };
const attributes = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/** An OTLP/HTTP JSON receiver: what Jaeger or a collector would get. */
async function startOtlpReceiver(): Promise<{ server: Server; endpoint: string; spans: OtlpSpan[] }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          resourceSpans: {
            resource: { attributes: OtlpAttribute[] };
            scopeSpans: {
              spans: (Omit<OtlpSpan, 'attributes' | 'service'> & { attributes: OtlpAttribute[] })[];
            }[];
          }[];
        };
        for (const resource of body.resourceSpans) {
          const service = String(attributes(resource.resource.attributes)['service.name']);
          for (const scope of resource.scopeSpans)
            for (const span of scope.spans)
              spans.push({
                ...span,
                service,
                attributes: attributes(span.attributes),
                links: span.links ?? [],
              });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, endpoint: `http://127.0.0.1:${port}`, spans };
}

describe('tracing (e2e, real processes): `npm start` and the worker export over OTLP', () => {
  const ADMIN = 'trace-admin-key-0123456789abcdef';
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let api: ServiceProcess | undefined;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await worker?.stop();
    if (api) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    await new Promise((ok) => receiver?.server.close(ok));
    await database?.drop();
  });

  it('HTTP server, pg and ioredis client spans, and the ingest → commit chain', async () => {
    const configFile = join(mkdtempSync(join(tmpdir(), 'behavior-cfg-')), 'config.yaml');
    writeFileSync(
      configFile,
      `ai:\n  behavior:\n    processing:\n      role: api\n      bullmq:\n        prefix: trace-${randomBytes(4).toString('hex')}\n` +
        `    stream:\n      pollIntervalMs: 50\n`,
    );
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      BEHAVIOR_ADMIN_KEY: ADMIN,
      BEHAVIOR_CONFIG: configFile,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    api = await startServiceProcess({ ...env, LOG_LEVEL: 'warn' });
    worker = await startWorkerProcess({ ...env, METRICS_PORT: '0' });

    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    await fetch(`${api.baseUrl}/api/admin/tenants`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ id: 'otlp-co', name: 'OTLP' }),
    });
    const key = (
      (await (
        await fetch(`${api.baseUrl}/api/admin/tenants/otlp-co/api-keys`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ scopes: ['ingest'] }),
        })
      ).json()) as { key: string }
    ).key;
    const ingest = await fetch(`${api.baseUrl}/api/ai-behavior/signals/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ signals: [view('o-1', 'a'), view('o-2', 'b')] }),
    });
    expect(ingest.status).toBe(200);
    // A beacon's publishable key in the URL stays out of the span's url.query.
    const pk = (
      (await (
        await fetch(`${api.baseUrl}/api/admin/tenants/otlp-co/api-keys`, {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ type: 'publishable', allowedOrigins: ['https://app.example'] }),
        })
      ).json()) as { key: string }
    ).key;
    const beacon = await fetch(`${api.baseUrl}/api/ai-behavior/signals/batch?key=${pk}`, {
      method: 'POST',
      headers: { origin: 'https://app.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ signals: [view('o-3', 'a')] }),
    });
    expect(beacon.status).toBe(200);
    const run = await fetch(`${api.baseUrl}/api/ai-behavior/jobs/segmentation/run`, {
      method: 'POST',
      headers: { authorization: admin.authorization },
    });
    expect([200, 202]).toContain(run.status);

    const spans = receiver.spans;
    const find = (predicate: (s: OtlpSpan) => boolean) => spans.filter(predicate);
    const childrenOf = (parent: OtlpSpan) =>
      spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId);
    const isPg = (s: OtlpSpan) =>
      s.kind === 3 && /postgres/.test(String(s.attributes['db.system.name'] ?? s.attributes['db.system']));
    const isRedis = (s: OtlpSpan) =>
      s.kind === 3 && /redis/.test(String(s.attributes['db.system.name'] ?? s.attributes['db.system']));

    await waitFor(
      () => spans.length,
      () =>
        find((s) => s.name === 'POST /api/ai-behavior/signals/batch').length > 0 &&
        find((s) => String(s.attributes['url.query'] ?? '').includes('key=')).length > 0 &&
        find((s) => s.name === 'behavior.signals.group_commit').some((c) => childrenOf(c).some(isPg)) &&
        find((s) => s.name === 'behavior.job segmentation').some((j) => childrenOf(j).some(isPg)) &&
        find((s) => s.name === 'behavior.projection.batch').some((b) => childrenOf(b).some(isPg)) &&
        find((s) => s.name === 'POST /api/ai-behavior/jobs/:name/run').some((h) =>
          spans.some((s) => s.traceId === h.traceId && isRedis(s)),
        ),
    );

    expect(
      find((s) => String(s.attributes['url.query'] ?? '').includes('key='))[0].attributes['url.query'],
    ).toBe('key=REDACTED');
    expect(JSON.stringify(spans)).not.toContain(pk);

    // The HTTP server span of the ingest request, named by route, holds our ingest span.
    const server = find((s) => s.name === 'POST /api/ai-behavior/signals/batch')[0];
    expect(server).toMatchObject({ service: 'behavior-api', kind: 2 });
    expect(server.attributes['http.route']).toBe('/api/ai-behavior/signals/batch');
    const ingestSpan = childrenOf(server).find((s) => s.name === 'behavior.signals.ingest')!;
    expect(ingestSpan).toBeDefined();
    expect(childrenOf(ingestSpan).map((s) => s.name)).toContain('behavior.signals.validate');
    // ingest → commit: linked both ways; the commit's SQL runs under the commit span.
    const commit = find((s) => s.name === 'behavior.signals.group_commit').find((c) =>
      c.links.some((l) => l.spanId === ingestSpan.spanId && l.traceId === ingestSpan.traceId),
    )!;
    expect(commit).toBeDefined();
    expect(ingestSpan.links.map((l) => l.spanId)).toContain(commit.spanId);
    expect(commit.attributes['behavior.group.size']).toBe(2);
    expect(childrenOf(commit).filter(isPg).length).toBeGreaterThan(0);

    // The worker: job runs and projection batches, each with its queries.
    const job = find((s) => s.name === 'behavior.job segmentation').find((j) => childrenOf(j).some(isPg))!;
    expect(job.service).toBe('behavior-worker');
    // BullMQ carries the trace: the worker's run continues the trace of the request that enqueued it.
    const runRequest = find((s) => s.name === 'POST /api/ai-behavior/jobs/:name/run')[0];
    expect(job.traceId).toBe(runRequest.traceId);
    const batch = find((s) => s.name === 'behavior.projection.batch').find((b) => childrenOf(b).some(isPg))!;
    expect(batch.service).toBe('behavior-worker');
    // No pg span without a traced parent (idle polls would otherwise flood the traces).
    expect(spans.filter((s) => isPg(s) && !s.parentSpanId)).toEqual([]);
    // One HTTP latency family (the route-labelled one), plus the pg instrumentation's metrics.
    const exposition = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(exposition).toContain('# HELP http_server_request_duration HTTP request latency');
    expect(exposition).not.toMatch(
      /http_server_request_duration_count\{[^}]*otel_scope_name="@opentelemetry\/instrumentation-http"/,
    );
    expect(exposition).toMatch(/^db_client_operation_duration_count\{/m);
    // The service never tried to export anywhere else (no export errors logged).
    expect(api.logs.join('')).not.toMatch(/OTLPExporter|export failed|ECONNREFUSED/i);
  });
});
