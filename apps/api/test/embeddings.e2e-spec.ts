import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddingRepository, SignalStreamWorker } from '@lssm/behavior-core';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const SCHEMAS = `
- id: feedback.note
  domain: feedback
  version: 1
  summary: Free-text feedback
  retentionDays: 30
  pii: personal
  attributes:
    - { name: text, type: string }
    - { name: title, type: string }
    - { name: comment, type: string }
  embeddingPolicy: { enabled: true, minLength: 10, fields: [text, title] }
- id: plain.note
  domain: feedback
  version: 1
  summary: Text nobody asked to embed
  retentionDays: 30
  pii: personal
  attributes:
    - { name: text, type: string }
`;

const FEEDBACK = [
  "I can't log in to my account, the password reset never arrives",
  'The checkout page is slow when I pay with a credit card',
  'Please add a dark mode to the dashboard',
  'Exported CSV files have broken accents in the names',
];

async function withSchemas(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'embeddings-e2e-'));
  writeFileSync(join(dir, 'feedback.yaml'), SCHEMAS);
  return dir;
}

const post = (
  t: TestApp,
  key: string,
  schemaId: string,
  userId: string,
  attributes: Record<string, string>,
) => t.request('POST', '/api/ai-behavior/signals', { key, body: { schemaId, userId, attributes } });

describe('embeddings (e2e): local provider, selected fields, search, isolation', () => {
  let dir: string;
  let t: TestApp;
  let db: Client;
  let a: { ingest: string; read: string };
  let b: { ingest: string; read: string };
  const ids = new Map<string, string>();

  beforeAll(async () => {
    dir = await withSchemas();
    // role api: only the test's drains run the embedder, so request counts are exact.
    t = await startTestApp({
      overrides: {
        ai: { behavior: { schemas: { starter: false, path: [dir] }, processing: { role: 'api' } } },
      },
    });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    a = {
      ingest: await createTenantWithKey(t, 'emb-a', ['ingest']),
      read: await createTenantWithKey(t, 'emb-a', ['read']),
    };
    b = {
      ingest: await createTenantWithKey(t, 'emb-b', ['ingest']),
      read: await createTenantWithKey(t, 'emb-b', ['read']),
    };
    for (const [i, text] of FEEDBACK.entries()) {
      const res = await post(t, a.ingest, 'feedback.note', `u-${i}`, { text, title: 'short', comment: text });
      expect(res.status).toBe(201);
      ids.set(text, res.body.id);
    }
    // A repeat of the first text (other spacing and case) and a text without a policy.
    expect(
      (await post(t, a.ingest, 'feedback.note', 'u-9', { text: FEEDBACK[0].toUpperCase() + '  ' })).status,
    ).toBe(201);
    expect((await post(t, a.ingest, 'plain.note', 'u-1', { text: FEEDBACK[0] })).status).toBe(201);
    // Tenant B: only the dark-mode text.
    const other = await post(t, b.ingest, 'feedback.note', 'u-b', { text: FEEDBACK[2] });
    ids.set('b', other.body.id);
    await t.app.get(SignalStreamWorker).drain(['embeddings']);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('embeds only the policy fields at or above minLength, each distinct text once', async () => {
    const { rows } = await db.query(
      `select tenant_id, schema_id, field, provider, model, dims, array_length(vector, 1) as n, content_hash
         from behavior_embeddings order by tenant_id, created_at`,
    );
    expect(rows.filter((r) => r.tenant_id === 'emb-a')).toHaveLength(5); // 4 texts + the repeat; no title, comment, plain.note
    expect(
      new Set(rows.map((r) => `${r.schema_id}/${r.field}/${r.provider}/${r.model}/${r.dims}/${r.n}`)),
    ).toEqual(new Set(['feedback.note/text/local/feature-hash-v1/384/384']));
    // The repeat shares its hash and cost no provider work: 4 items billed, not 5.
    expect(new Set(rows.filter((r) => r.tenant_id === 'emb-a').map((r) => r.content_hash)).size).toBe(4);
    const usage = await db.query(`select tenant_id, items from behavior_embedding_usage order by tenant_id`);
    expect(usage.rows).toEqual([
      { tenant_id: 'emb-a', items: 4 },
      { tenant_id: 'emb-b', items: 1 },
    ]);
  });

  it('adds nothing when the stream delivers again', async () => {
    // Back to the start of the stream: every batch comes again, as after a crash before the checkpoint.
    const reset = await db.query(
      `update behavior_stream_checkpoints set last_xid = '0', last_seq = 0 where consumer = 'embeddings'`,
    );
    expect(reset.rowCount).toBeGreaterThan(0);
    expect(await t.app.get(SignalStreamWorker).drain(['embeddings'])).toBeGreaterThan(0);
    const { rows } = await db.query(`select count(*)::int as n from behavior_embeddings`);
    expect(rows[0].n).toBe(6);
  });

  it('finds the nearest texts first, and only the tenant’s own', async () => {
    const res = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key: a.read,
      body: { text: "can't log in", topK: 3 },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(3);
    const top = res.body.results.slice(0, 2).map((r: { signalId: string }) => r.signalId);
    expect(top).toContain(ids.get(FEEDBACK[0]));
    expect(res.body.results[0]).toEqual({
      signalId: expect.any(String),
      userId: expect.stringMatching(/^u-[09]$/),
      schemaId: 'feedback.note',
      field: 'text',
      score: expect.any(Number),
    });
    expect(res.body.results[0].score).toBeGreaterThan(res.body.results[2].score);

    const dark = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key: a.read,
      body: { text: 'dark mode please' },
    });
    expect(dark.body.results[0].signalId).toBe(ids.get(FEEDBACK[2]));
    expect(dark.body.results.map((r: { signalId: string }) => r.signalId)).not.toContain(ids.get('b'));
    const inB = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key: b.read,
      body: { text: "can't log in", topK: 100 },
    });
    expect(inB.body.results.map((r: { signalId: string }) => r.signalId)).toEqual([ids.get('b')]);
  });

  it('filters by user and time, and searches by vector', async () => {
    const byUser = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key: a.read,
      body: { text: 'checkout', userId: 'u-1' },
    });
    expect(byUser.body.results.map((r: { signalId: string }) => r.signalId)).toEqual([ids.get(FEEDBACK[1])]);
    const future = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key: a.read,
      body: { text: 'checkout', from: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(future.body.results).toEqual([]);
    const { rows } = await db.query(`select vector from behavior_embeddings where signal_id = $1`, [
      ids.get(FEEDBACK[3]),
    ]);
    const byVector = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key: a.read,
      body: { vector: rows[0].vector, topK: 1 },
    });
    expect(byVector.body.results).toEqual([expect.objectContaining({ signalId: ids.get(FEEDBACK[3]) })]);
    expect(byVector.body.results[0].score).toBeCloseTo(1, 4);
  });

  it('answers 400 with a code for neither or both inputs, a wrong length, a bad topK; 403 without read', async () => {
    const search = (body: unknown, key = a.read) =>
      t.request('POST', '/api/ai-behavior/embeddings/search', { key, body });
    expect(await search({})).toMatchObject({ status: 400, body: { code: 'text_or_vector' } });
    expect(await search({ text: 'x', vector: [1] })).toMatchObject({
      status: 400,
      body: { code: 'text_or_vector' },
    });
    expect(await search({ vector: [1, 2, 3] })).toMatchObject({
      status: 400,
      body: { code: 'vector_dimensions' },
    });
    expect((await search({ text: 'x', topK: 101 })).status).toBe(400);
    expect((await search({ text: 'x' }, a.ingest)).status).toBe(403);
  });

  it('searches follow the table: a new text is found at once, a deleted row is never scored again', async () => {
    const search = async (text: string) =>
      (
        await t.request('POST', '/api/ai-behavior/embeddings/search', {
          key: a.read,
          body: { text, topK: 100 },
        })
      ).body.results.map((r: { signalId: string }) => r.signalId);
    const dark = ids.get(FEEDBACK[2]);
    expect(await search('dark mode please')).toContain(dark); // the process now holds the space
    // What an erasure does to this table; the next search must not score the cached copy.
    await db.query(`delete from behavior_embeddings where tenant_id = 'emb-a' and signal_id = $1`, [dark]);
    expect(await search('dark mode please')).not.toContain(dark);
    const added = await post(t, a.ingest, 'feedback.note', 'u-7', {
      text: 'The spreadsheet export button does nothing at all',
    });
    await t.app.get(SignalStreamWorker).drain(['embeddings']);
    expect((await search('spreadsheet export button'))[0]).toBe(added.body.id);
  });
});

/** An OpenAI-compatible /v1/embeddings that refuses the first request with 429. */
function fakeEmbeddingServer(dims: number) {
  const calls: { auth?: string; input: string[]; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { input, model } = JSON.parse(body) as { input: string[]; model: string };
      const first = calls.length === 0;
      calls.push({ auth: req.headers.authorization, input, status: first ? 429 : 200 });
      if (req.url !== '/v1/embeddings' || model !== 'fake-embed') {
        res.writeHead(404).end();
      } else if (first) {
        res
          .writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' })
          .end('{"error":"slow down"}');
      } else {
        // One-hot on the text's length: distinct, known vectors.
        const data = input.map((text, index) => ({
          index,
          embedding: Array.from({ length: dims }, (_, i) => (i === text.length % dims ? 1 : 0)),
        }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            data,
            usage: { prompt_tokens: input.length * 5, total_tokens: input.length * 5 },
          }),
        );
      }
    });
  });
  return { server, calls };
}

describe('embeddings (e2e): openai-compatible provider with retry and a daily budget', () => {
  let dir: string;
  let t: TestApp;
  let db: Client;
  const fake = fakeEmbeddingServer(8);

  beforeAll(async () => {
    dir = await withSchemas();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const port = (fake.server.address() as AddressInfo).port;
    t = await startTestApp({
      overrides: {
        ai: {
          behavior: {
            schemas: { starter: false, path: [dir] },
            processing: { role: 'api' },
            embeddings: {
              provider: 'openai-compatible',
              openaiCompatible: {
                baseUrl: `http://127.0.0.1:${port}`,
                model: 'fake-embed',
                apiKey: 'sk-test',
                dimensions: 8,
                maxBatchSize: 2,
                maxRetries: 2,
                timeoutMs: 5000,
                costPer1kTokens: 0.02,
              },
              dailyBudget: { items: 3, tokens: null },
            },
          },
        },
      },
    });
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    await new Promise((resolve) => fake.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries a 429, batches by maxBatchSize, and stops at the daily item budget', async () => {
    const key = await createTenantWithKey(t, 'emb-o', ['ingest', 'read']);
    const texts = [
      'one text here',
      'two texts here',
      'three texts here',
      'four texts here!',
      'five texts here!!',
    ];
    // One request, one user: the signals commit together in one partition.
    const res = await t.request('POST', '/api/ai-behavior/signals/batch', {
      key,
      body: {
        signals: texts.map((text) => ({ schemaId: 'feedback.note', userId: 'u-0', attributes: { text } })),
      },
    });
    expect(res.body).toMatchObject({ accepted: 5 });
    await t.app.get(SignalStreamWorker).drain(['embeddings']);

    // 3 items allowed: a 429 retried with the same texts, requests of at most 2 texts, 3 texts in all.
    expect(fake.calls[0].status).toBe(429);
    expect(fake.calls[1].input).toEqual(fake.calls[0].input);
    expect(fake.calls.every((c) => c.input.length <= 2)).toBe(true);
    expect(fake.calls.filter((c) => c.status === 200).flatMap((c) => c.input)).toEqual(texts.slice(0, 3));
    expect(new Set(fake.calls.map((c) => c.auth))).toEqual(new Set(['Bearer sk-test']));
    const { rows } = await db.query(
      `select provider, model, dims from behavior_embeddings where tenant_id = 'emb-o'`,
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ provider: 'openai-compatible', model: 'fake-embed', dims: 8 });
    const usage = await db.query(
      `select tokens::int, items from behavior_embedding_usage where tenant_id = 'emb-o'`,
    );
    expect(usage.rows).toEqual([{ tokens: 15, items: 3 }]);

    // Over budget for the day: a new text is skipped, no provider call.
    expect((await post(t, key, 'feedback.note', 'u-x', { text: 'yet another text' })).status).toBe(201);
    const callsBefore = fake.calls.length;
    await t.app.get(SignalStreamWorker).drain(['embeddings']);
    expect(fake.calls).toHaveLength(callsBefore);

    // Search embeds the query through the same provider (one-hot on length 13 % 8 = 5).
    const found = await t.request('POST', '/api/ai-behavior/embeddings/search', {
      key,
      body: { text: 'xxxxxxxxxxxxx', topK: 1 },
    });
    expect(found.status).toBe(200);
    expect(found.body.results).toEqual([expect.objectContaining({ userId: 'u-0', score: 1 })]);
  });

  it('reserves the daily budget atomically when batches embed at the same time', async () => {
    const repository = t.app.get(EmbeddingRepository);
    const granted = await Promise.all(
      Array.from({ length: 6 }, () => repository.reserve('emb-race', '2026-01-01', 2, 5, null)),
    );
    expect(granted.reduce((a, b) => a + b, 0)).toBe(5);
    const { rows } = await db.query(
      `select items from behavior_embedding_usage where tenant_id = 'emb-race'`,
    );
    expect(rows).toEqual([{ items: 5 }]);
  });
});
