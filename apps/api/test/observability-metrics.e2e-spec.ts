import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignalStreamWorker } from '@lssm/behavior-core';
import {
  createTenantWithKey,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../../../test/support/test-app';
import { createTestDatabase, testRedisUrl, type TestDatabase } from '../../../test/support/test-database';
import { startWorkerProcess, type WorkerProcess } from '../../../test/support/worker-process';
import { waitFor } from '../../../test/support/wait-for';

/**
 * Every instrument docs/operations.md lists, by its Prometheus name (dots become
 * underscores, monotonic counters get `_total`, histograms are read through `_count`),
 * with the attributes it must carry.
 */
const DOCUMENTED = [
  { name: 'behavior_signals_ingested_total', labels: ['schemaId'] },
  { name: 'behavior_signals_validation_failures_total', labels: ['schemaId', 'reason'] },
  { name: 'behavior_metrics_projector_duration_count', labels: ['projector'] },
  { name: 'behavior_insights_strategy_duration_count', labels: ['strategy'] },
  { name: 'behavior_projection_lag_count', labels: [] },
  // Gauges: 0 is a valid reading (caught up, nothing parked).
  { name: 'behavior_stream_lag', labels: ['consumer', 'partition'], gauge: true },
  { name: 'behavior_stream_lag_signals', labels: ['consumer', 'partition'], gauge: true },
  { name: 'behavior_stream_failures', labels: ['consumer', 'partition'], gauge: true },
  { name: 'behavior_stream_parked', labels: ['consumer', 'partition'], gauge: true },
  { name: 'behavior_sink_delivered_total', labels: ['sink'] },
  { name: 'behavior_sink_failures_total', labels: ['sink', 'kind'] },
  { name: 'behavior_sink_batch_duration_count', labels: ['sink'] },
  { name: 'behavior_embeddings_generated_total', labels: ['provider'] },
  { name: 'behavior_embeddings_skipped_total', labels: ['reason'] },
  { name: 'behavior_embeddings_tokens_total', labels: ['provider'] },
  // The local provider is free: its cost is recorded, as 0.
  { name: 'behavior_embeddings_cost_total', labels: ['provider'], zero: true },
  {
    name: 'http_server_request_duration_count',
    labels: ['http_request_method', 'http_route', 'http_response_status_code'],
  },
];

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function sampleOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
}

/** A schema whose text is embedded (for the embeddings instruments). */
function embeddedSchemaDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'behavior-schemas-'));
  writeFileSync(
    join(dir, 'note.yaml'),
    `- id: obs.note
  domain: feedback
  version: 1
  summary: A note
  retentionDays: 30
  pii: personal
  attributes:
    - { name: text, type: string }
  embeddingPolicy: { enabled: true, minLength: 10, fields: [text] }
`,
  );
  return dir;
}

function fastProjectionConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'behavior-cfg-')), 'config.yaml');
  writeFileSync(file, 'ai:\n  behavior:\n    stream:\n      pollIntervalMs: 50\n');
  return file;
}

const signal = (userId: string, contentId: string) => ({
  schemaId: 'content.view',
  userId,
  attributes: { contentId, durationSeconds: 3 },
});

describe('metrics (e2e): every documented instrument is exported at /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            stream: { pollIntervalMs: 50 },
            schemas: { path: [embeddedSchemaDir()] },
            // One sink that delivers and one whose receiver is not there, for the sink instruments.
            sinks: [
              {
                name: 'obs',
                type: 'redis-streams',
                url: testRedisUrl(),
                stream: `observability:${Date.now()}:{tenant}`,
              },
              { name: 'down', type: 'redis-streams', url: 'redis://127.0.0.1:1' },
            ],
          },
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ingest, projection, an insights job and HTTP requests all show up with values', async () => {
    const key = await createTenantWithKey(t, 'metrics-co', ['ingest']);
    const ingest = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key,
      body: {
        signals: [
          signal('u-1', 'a'),
          signal('u-2', 'b'),
          { schemaId: 'content.view', userId: 'u-3', attributes: {} },
        ],
      },
    });
    expect(ingest.status).toBe(200);
    expect(ingest.body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'accepted',
      'rejected',
    ]);
    const notes = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key,
      body: {
        signals: ['the export button does nothing', 'short'].map((text) => ({
          schemaId: 'obs.note',
          userId: 'u-1',
          attributes: { text },
        })),
      },
    });
    expect(notes.body).toMatchObject({ accepted: 2 });
    await t.app.get(SignalStreamWorker).drain(['metrics', 'sink:obs', 'embeddings']);
    const run = await t.request('POST', '/api/ai-behavior/jobs/segmentation/run', { key: TEST_ADMIN_KEY });
    expect([200, 202]).toContain(run.status);

    const samples = await waitFor(
      async () => parsePrometheus((await t.request('GET', '/metrics')).body as string),
      (found) => DOCUMENTED.every(({ name }) => sampleOf(found, name)),
    );
    for (const { name, labels, gauge, zero } of DOCUMENTED as {
      name: string;
      labels: string[];
      gauge?: boolean;
      zero?: boolean;
    }[]) {
      const sample = sampleOf(samples, name)!;
      expect({ name, labels: Object.keys(sample.labels).sort() }).toEqual({
        name,
        labels: expect.arrayContaining(labels),
      });
      expect({ name, value: sample.value }).toEqual({ name, value: expect.any(Number) });
      if (gauge || zero) expect(sample.value).toBeGreaterThanOrEqual(0);
      else expect(sample.value).toBeGreaterThan(0);
    }
    // Every partition of the projection is reported, caught up after the drain above.
    const lags = samples.filter((s) => s.name === 'behavior_stream_lag' && s.labels.consumer === 'metrics');
    expect(lags.map((s) => Number(s.labels.partition)).sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
    expect(sampleOf(samples, 'behavior_signals_ingested_total', { schemaId: 'content.view' })?.value).toBe(2);
    expect(
      sampleOf(samples, 'behavior_signals_validation_failures_total', { schemaId: 'content.view' })?.value,
    ).toBe(1);
    expect(
      sampleOf(samples, 'behavior_metrics_projector_duration_count', { projector: 'engagement' }),
    ).toBeDefined();
    // Both accepted signals reached the working sink (at least once: the drain above may deliver a
    // batch the live lane delivers too); the other sink only failed.
    expect(sampleOf(samples, 'behavior_sink_delivered_total', { sink: 'obs' })?.value).toBeGreaterThanOrEqual(
      2,
    );
    expect(sampleOf(samples, 'behavior_sink_batch_duration_count', { sink: 'obs' })?.value).toBeGreaterThan(
      0,
    );
    expect(sampleOf(samples, 'behavior_sink_delivered_total', { sink: 'down' })).toBeUndefined();
    expect(
      sampleOf(samples, 'behavior_sink_failures_total', { sink: 'down', kind: 'unavailable' })?.value,
    ).toBeGreaterThan(0);
    // Sinks are stream consumers: their lag is in the stream gauges.
    expect(sampleOf(samples, 'behavior_stream_lag_signals', { consumer: 'sink:down' })).toBeDefined();
    expect(
      sampleOf(samples, 'behavior_insights_strategy_duration_count', { strategy: 'engagement' }),
    ).toBeDefined();
    expect(
      sampleOf(samples, 'http_server_request_duration_count', {
        http_route: '/api/ai-behavior/signals/batch',
        http_request_method: 'POST',
        http_response_status_code: '200',
      })?.value,
    ).toBe(2); // the views and the notes
    // One note long enough to embed, one below minLength.
    expect(sampleOf(samples, 'behavior_embeddings_generated_total', { provider: 'local' })?.value).toBe(1);
    expect(sampleOf(samples, 'behavior_embeddings_skipped_total', { reason: 'too_short' })?.value).toBe(1);
  });
});

describe('metrics (e2e): a worker process serves its own /metrics', () => {
  let database: TestDatabase;
  let api: TestApp;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The API process only ingests; projection happens in the worker.
    api = await startTestApp({ database, overrides: { ai: { behavior: { processing: { role: 'api' } } } } });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await database?.drop();
  });

  it('on server.metricsPort (METRICS_PORT=0: a free one, logged): projection lag and projector durations', async () => {
    const key = await createTenantWithKey(api, 'worker-co', ['ingest']);
    const ingest = await api.request('POST', '/api/ai-behavior/signals', { key, body: signal('w-1', 'z') });
    expect(ingest.status).toBe(201);

    worker = await startWorkerProcess({
      DATABASE_URL: database.url,
      METRICS_PORT: '0',
      BEHAVIOR_CONFIG: fastProjectionConfig(),
    });
    const port = worker.metricsPort!;
    expect(port).toBeGreaterThan(0);

    const samples = await waitFor(
      async () => parsePrometheus(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
      (found) =>
        !!sampleOf(found, 'behavior_projection_lag_count') &&
        !!sampleOf(found, 'behavior_metrics_projector_duration_count', { projector: 'engagement' }),
    );
    expect(sampleOf(samples, 'behavior_projection_lag_count')!.value).toBeGreaterThan(0);
    const other = await fetch(`http://127.0.0.1:${port}/elsewhere`);
    expect(other.status).toBe(404);
  });
});
