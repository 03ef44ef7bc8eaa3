import type { CachedEmbedding, EmbeddingSpaceSnapshot } from './embedding.repository';
import { EmbeddingVectorCache } from './embedding-vector.cache';

// A stand-in for the table (the SQL itself is covered by the embeddings e2e): rows with created_at.
class FakeSpace {
  rows: { row: CachedEmbedding; createdAt: string }[] = [];
  reads: (string | null)[] = [];
  add(n: number, createdAt: string) {
    const row = {
      key: `s${n}:text`,
      signalId: `s${n}`,
      userId: null,
      schemaId: 'x',
      field: 'text',
      occurredAtMs: 0,
      keyHash: n * 7919,
      vector: new Float32Array([n]),
    };
    this.rows.push({ row, createdAt });
  }
  async snapshot(_space: unknown, since: string | null): Promise<EmbeddingSpaceSnapshot> {
    this.reads.push(since);
    const max =
      this.rows
        .map((r) => r.createdAt)
        .sort()
        .at(-1) ?? null;
    return {
      count: this.rows.length,
      keySum: String(this.rows.reduce((s, r) => s + r.row.keyHash, 0)),
      maxCreatedAt: max,
      rows: this.rows.filter((r) => since === null || r.createdAt > since).map((r) => r.row),
    };
  }
}

const space = { tenantId: 't', provider: 'local', model: 'm' };
const keys = (rows: readonly CachedEmbedding[]) => rows.map((r) => r.signalId).sort();

describe('EmbeddingVectorCache', () => {
  it('loads once, then reads only recent rows and adds the new ones', async () => {
    const db = new FakeSpace();
    db.add(1, '2026-12-04T10:00:00.000Z');
    db.add(2, '2026-12-04T10:00:00.000Z');
    const cache = new EmbeddingVectorCache(db);
    expect(keys(await cache.rows(space))).toEqual(['s1', 's2']);
    db.add(3, '2026-12-04T11:00:00.000Z');
    expect(keys(await cache.rows(space))).toEqual(['s1', 's2', 's3']);
    // The second read asks only for rows newer than the newest seen.
    expect(db.reads).toEqual([null, '2026-12-04T10:00:00.000Z']);
  });

  it('reloads when rows were deleted, even if as many were added meanwhile', async () => {
    const db = new FakeSpace();
    db.add(1, '2026-12-04T10:00:00.000Z');
    db.add(2, '2026-12-04T10:00:00.000Z');
    const cache = new EmbeddingVectorCache(db);
    await cache.rows(space);
    db.rows = db.rows.filter((r) => r.row.signalId !== 's1'); // an erasure
    db.add(3, '2026-12-04T12:00:00.000Z');
    expect(keys(await cache.rows(space))).toEqual(['s2', 's3']);
    expect(db.reads.at(-1)).toBeNull();
  });

  it('catches a late commit older than the window through the count', async () => {
    const db = new FakeSpace();
    db.add(1, '2026-12-04T10:00:00.000Z');
    const cache = new EmbeddingVectorCache(db);
    await cache.rows(space);
    db.add(2, '2026-12-04T12:00:00.000Z');
    await cache.rows(space);
    db.add(3, '2026-12-04T09:00:00.000Z'); // a long transaction's row, committed late
    expect(keys(await cache.rows(space))).toEqual(['s1', 's2', 's3']);
  });

  it('does not keep a space larger than its vector budget', async () => {
    const db = new FakeSpace();
    for (let n = 1; n <= 3; n++) db.add(n, '2026-12-04T10:00:00.000Z');
    const cache = new EmbeddingVectorCache(db, 2);
    await cache.rows(space);
    await cache.rows(space);
    expect(db.reads).toEqual([null, null]);
  });
});
