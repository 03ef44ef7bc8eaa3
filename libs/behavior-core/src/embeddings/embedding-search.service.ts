import { Inject, Injectable } from '@nestjs/common';
import { badRequest } from '@lssm/nest-common';
import { EMBEDDING_PROVIDER } from '../behavior-core.tokens.js';
import type { EmbeddingProvider } from '../contracts/embedding-provider.js';
import {
  DEFAULT_SEARCH_TOP_K,
  type EmbeddingSearchRequestDto,
  type EmbeddingSearchResponseDto,
} from './embedding-search.dto.js';
import type { EmbeddingCandidate } from './embedding.repository.js';
import type { EmbeddingVectorCache } from './embedding-vector.cache.js';
import { TopKHeap } from './top-k.heap.js';

/**
 * Exact nearest-neighbour search over a tenant's stored vectors, scored in process from the
 * process's vector cache (kept current per search, see EmbeddingVectorCache): the vectors are unit
 * length, so cosine similarity is a dot product (docs/embeddings.md on scale and pgvector).
 */
@Injectable()
export class EmbeddingSearchService {
  constructor(
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider,
    private readonly cache: EmbeddingVectorCache,
  ) {}

  async search(tenantId: string, request: EmbeddingSearchRequestDto): Promise<EmbeddingSearchResponseDto> {
    const query = await this.queryVector(request);
    const from = request.from === undefined ? undefined : new Date(request.from);
    const to = request.to === undefined ? undefined : new Date(request.to);
    if (from && to && from > to) {
      throw badRequest('invalid_range', 'from must not be after to', [
        { path: 'from', code: 'invalid_range', message: 'from must not be after to' },
      ]);
    }
    const rows = await this.cache.rows({
      tenantId,
      provider: this.provider.name,
      model: this.provider.model,
    });
    const fromMs = from?.getTime() ?? -Infinity;
    const toMs = to?.getTime() ?? Infinity;
    const candidates = rows.filter(
      (r) =>
        (request.schemaId === undefined || r.schemaId === request.schemaId) &&
        (request.field === undefined || r.field === request.field) &&
        (request.userId === undefined || r.userId === request.userId) &&
        r.occurredAtMs >= fromMs &&
        r.occurredAtMs < toMs,
    );
    const hits = topK(query, candidates, request.topK ?? DEFAULT_SEARCH_TOP_K);
    return {
      results: hits.map(({ score, item }) => ({
        signalId: item.signalId,
        userId: item.userId,
        schemaId: item.schemaId,
        field: item.field,
        score: Math.round(score * 1e6) / 1e6,
      })),
    };
  }

  private async queryVector(request: EmbeddingSearchRequestDto): Promise<Float32Array> {
    const hasText = request.text !== undefined;
    const hasVector = request.vector !== undefined;
    if (hasText === hasVector) {
      const message = hasText ? 'give text or vector, not both' : 'give text or vector';
      throw badRequest('text_or_vector', message, [
        { path: hasText ? 'vector' : 'text', code: 'text_or_vector', message },
      ]);
    }
    if (hasVector) {
      const vector = request.vector!;
      if (vector.length !== this.provider.dimensions) {
        const message = `vector has ${vector.length} dimensions; the ${this.provider.name} provider's have ${this.provider.dimensions}`;
        throw badRequest('vector_dimensions', message, [
          { path: 'vector', code: 'vector_dimensions', message },
        ]);
      }
      return unit(Float32Array.from(vector));
    }
    const { vectors } = await this.provider.embed([request.text!]);
    return unit(vectors[0]);
  }
}

/** The k candidates with the highest dot product with `query`, highest first. */
export function topK<T extends { vector: Float32Array }>(
  query: Float32Array,
  candidates: readonly T[],
  k: number,
): { score: number; item: T }[] {
  const heap = new TopKHeap<T>(k);
  const n = query.length;
  for (const candidate of candidates) {
    const v = candidate.vector;
    if (v.length !== n) continue;
    // Four independent sums: the additions pipeline instead of waiting on one another.
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      d0 += query[i] * v[i];
      d1 += query[i + 1] * v[i + 1];
      d2 += query[i + 2] * v[i + 2];
      d3 += query[i + 3] * v[i + 3];
    }
    for (; i < n; i++) d0 += query[i] * v[i];
    const dot = d0 + d1 + d2 + d3;
    if (dot > heap.threshold) heap.push(dot, candidate);
  }
  return heap.sorted();
}

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  }
  return vector;
}

export type { EmbeddingCandidate };
