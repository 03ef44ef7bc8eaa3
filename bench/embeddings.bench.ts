/*
 * Embeddings: throughput of the local provider (texts/s over feedback-like sentences) and exact
 * search latency (POST /embeddings/search's service: SQL, decoding, scoring, top-k) at 10k and
 * 100k vectors in one tenant, 384 dimensions. Vectors are random unit vectors written by SQL
 * (search cost does not depend on what they mean). Scale: BENCH_SIZES (10000,100000),
 * BENCH_QUERIES (30 per size), BENCH_TEXTS (20000).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  EmbeddingRepository,
  EmbeddingSearchService,
  EmbeddingVectorCache,
  LocalEmbeddingProvider,
  topK,
} from '@lssm/behavior-core';
import { startEmbeddedPostgres } from '../apps/api/src/database/embedded-postgres.js';
import { runMigrations } from '../apps/api/src/database/run-migrations.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 30);
const TEXTS = Number(process.env.BENCH_TEXTS ?? 20_000);

const WORDS = [
  ...'login password reset account checkout payment card slow page dashboard dark mode export csv'.split(' '),
  ...'accents names search filter invoice email notification mobile app crash upload photo'.split(' '),
  ...'profile settings language'.split(' '),
];

function sentence(n: number): string {
  const words: string[] = [];
  for (let i = 0; i < 8 + (n % 12); i++) words.push(WORDS[(n * 7 + i * 13 + (n >> i)) % WORDS.length]);
  return `${words.join(' ')} #${n}`;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

async function main(): Promise<void> {
  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!databaseUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'bench-embeddings-')),
      persistent: false,
    });
    databaseUrl = server.url;
    stopPostgres = server.stop;
  }
  await runMigrations(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const provider = new LocalEmbeddingProvider();

  const texts = Array.from({ length: TEXTS }, (_, n) => sentence(n));
  const started = performance.now();
  for (let i = 0; i < texts.length; i += provider.maxBatchSize)
    await provider.embed(texts.slice(i, i + provider.maxBatchSize));
  const seconds = (performance.now() - started) / 1000;
  const avgChars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
  console.log(
    `local provider: ${Math.round(TEXTS / seconds).toLocaleString('en-US')} texts/s ` +
      `(${TEXTS} texts of ${Math.round(avgChars)} characters on average, one thread)`,
  );

  const repository = new EmbeddingRepository(pool);
  const service = new EmbeddingSearchService(provider, new EmbeddingVectorCache(repository));
  for (const size of SIZES) {
    const tenantId = `bench-${size}`;
    const fill = performance.now();
    for (let done = 0; done < size; done += 10_000) {
      const n = Math.min(10_000, size - done);
      await pool.query(
        `insert into behavior_embeddings (tenant_id, signal_id, field, provider, model, occurred_at, user_id,
                                          schema_id, dims, content_hash, vector)
         select $1, gen_random_uuid(), 'text', 'local', 'feature-hash-v1', now() - g * interval '1 second',
                'u' || (g % 1000), 'feedback.text', 384, md5(g::text),
                array(select ((random() - 0.5) / 10 + g * 0)::real from generate_series(1, 384))
           from generate_series($2::int, $3::int) g`,
        [tenantId, done, done + n - 1],
      );
    }
    await pool.query('vacuum analyze behavior_embeddings');
    console.log(
      `${size.toLocaleString('en-US')} vectors written in ${Math.round(performance.now() - fill)} ms`,
    );
    // The first search of a space in a process reads and decodes every vector into the cache.
    const cold = performance.now();
    await service.search(tenantId, { text: sentence(999_999), topK: 10 });
    console.log(`first search (loads the cache): ${Math.round(performance.now() - cold)} ms`);
    const times: number[] = [];
    // Two warm-up queries (JIT, buffer cache), then the measured ones: each checks the space is
    // unchanged (count and key-hash sum, one statement) and scores every vector.
    for (let q = -2; q < QUERIES; q++) {
      const t0 = performance.now();
      const result = await service.search(tenantId, { text: sentence(q + 1_000_000), topK: 10 });
      if (result.results.length !== 10) throw new Error('expected 10 results');
      if (q >= 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `search ${size.toLocaleString('en-US')} vectors (384 dims, top 10, exact): ` +
        `p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (${QUERIES} queries)`,
    );
    // Where the time goes: reading and decoding every vector (what the cache saves), then scoring.
    const fetches: number[] = [];
    const scores: number[] = [];
    const query = provider.embedOne('checkout payment slow').vector;
    for (let q = 0; q < 5; q++) {
      const t0 = performance.now();
      const { rows: candidates } = await repository.snapshot(
        { tenantId, provider: 'local', model: 'feature-hash-v1' },
        null,
      );
      const t1 = performance.now();
      topK(query, candidates, 10);
      fetches.push(t1 - t0);
      scores.push(performance.now() - t1);
    }
    fetches.sort((a, b) => a - b);
    scores.sort((a, b) => a - b);
    console.log(
      `  of which: read + decode p50 ${percentile(fetches, 0.5).toFixed(1)} ms, ` +
        `score + top-k p50 ${percentile(scores, 0.5).toFixed(1)} ms`,
    );
  }
  await pool.end();
  await stopPostgres?.();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
