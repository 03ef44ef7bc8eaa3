import { Inject, Injectable } from '@nestjs/common';
import { badRequest } from '@lssm/nest-common';
import { EMBEDDING_PROVIDER } from '../behavior-core.tokens.js';
import type { EmbeddingProvider } from '../contracts/embedding-provider.js';
import {
  DEFAULT_SEARCH_TOP_K,
  type EmbeddingSearchRequestDto,
  type EmbeddingSearchResponseDto,
} from './embedding-search.dto.js';
import { EmbeddingRepository, type EmbeddingCandidate } from './embedding.repository.js';
import { TopKHeap } from './top-k.heap.js';

/**
 * Exact nearest-neighbour search over a tenant's stored vectors, scored in process: the vectors
 * are unit length, so cosine similarity is a dot product (docs/embeddings.md on scale and pgvector).
 */
@Injectable()
export class EmbeddingSearchService {
  constructor(
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider,
    private readonly repository: EmbeddingRepository,
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
    const candidates = await this.repository.candidates({
      tenantId,
      provider: this.provider.name,
      model: this.provider.model,
      schemaId: request.schemaId,
      field: request.field,
      userId: request.userId,
      from,
      to,
    });
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
    let dot = 0;
    for (let i = 0; i < n; i++) dot += query[i] * v[i];
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
