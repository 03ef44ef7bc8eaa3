import type { CachedEmbedding, EmbeddingRepository, EmbeddingSpace } from './embedding.repository.js';

/** Vectors held across all cached spaces; past it the least recently searched spaces go. */
export const MAX_CACHED_VECTORS = 300_000;

interface Entry {
  readonly rows: Map<string, CachedEmbedding>;
  keySum: bigint;
  maxCreatedAt: string | null;
}

/**
 * Each process keeps the spaces it searched (tenant, provider, model) in memory, so a search
 * scores vectors it already has instead of reading and decoding every vector again. Before each
 * search one statement returns the space's count and key-hash sum with the rows created since the
 * last read (one snapshot): new rows are added, and a count or sum that still differs (rows erased,
 * or a late commit missed) reloads the space. An erased row is therefore never scored once its
 * deletion committed.
 */
export class EmbeddingVectorCache {
  private readonly spaces = new Map<string, Entry>();

  constructor(
    private readonly repository: Pick<EmbeddingRepository, 'snapshot'>,
    private readonly maxVectors = MAX_CACHED_VECTORS,
  ) {}

  async rows(space: EmbeddingSpace): Promise<readonly CachedEmbedding[]> {
    const id = `${space.tenantId}\u0000${space.provider}\u0000${space.model}`;
    let entry = this.spaces.get(id);
    if (entry) {
      // Rows newer than the newest seen. A transaction's now() is its start, so a long one can commit
      // rows older than that after the last read: the count and key sum then differ, and the space
      // is read again whole.
      const snap = await this.repository.snapshot(space, entry.maxCreatedAt);
      for (const row of snap.rows) {
        if (!entry.rows.has(row.key)) entry.keySum += BigInt(row.keyHash);
        entry.rows.set(row.key, row);
      }
      entry.maxCreatedAt = snap.maxCreatedAt;
      if (entry.rows.size !== snap.count || entry.keySum !== BigInt(snap.keySum)) entry = undefined;
    }
    if (!entry) entry = await this.load(space);
    // Most recently searched last: eviction takes from the front.
    this.spaces.delete(id);
    if (entry.rows.size <= this.maxVectors) {
      this.spaces.set(id, entry);
      this.evict();
    }
    return [...entry.rows.values()];
  }

  private async load(space: EmbeddingSpace): Promise<Entry> {
    const snap = await this.repository.snapshot(space, null);
    const rows = new Map(snap.rows.map((r) => [r.key, r]));
    return { rows, keySum: BigInt(snap.keySum), maxCreatedAt: snap.maxCreatedAt };
  }

  private evict(): void {
    let total = 0;
    for (const entry of this.spaces.values()) total += entry.rows.size;
    for (const [id, entry] of this.spaces) {
      if (total <= this.maxVectors) break;
      this.spaces.delete(id);
      total -= entry.rows.size;
    }
  }
}
