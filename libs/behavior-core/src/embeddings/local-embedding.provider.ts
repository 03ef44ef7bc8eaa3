import type { EmbeddingProvider, EmbeddingResult } from '../contracts/embedding-provider.js';

export const LOCAL_EMBEDDING_DIMENSIONS = 384;

/** Lower-case, accents folded, apostrophes dropped ("can't" = "cant"), whitespace collapsed. */
export function normalizeEmbeddingText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** FNV-1a, 32 bits: fast, stable across processes and versions (the stored vectors depend on it). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Offline, deterministic embedding by feature hashing: word unigrams and bigrams plus character
 * 3- to 5-grams of the normalized text, each hashed to a dimension with a hashed sign (collisions
 * cancel out on average instead of piling up), then L2-normalized. Similar texts share n-grams, so
 * it finds near-duplicates and keyword overlap; it knows no synonyms (docs/embeddings.md).
 */
export class LocalEmbeddingProvider implements EmbeddingProvider {
  readonly name = 'local';
  readonly model = 'feature-hash-v1';
  readonly maxBatchSize = 1024;
  // In-process: free (behavior.embeddings.cost records 0).
  readonly costPer1kTokens = 0;

  constructor(readonly dimensions = LOCAL_EMBEDDING_DIMENSIONS) {}

  embed(texts: readonly string[]): Promise<EmbeddingResult> {
    let tokens = 0;
    const vectors = texts.map((text) => {
      const { vector, words } = this.embedOne(text);
      tokens += words;
      return vector;
    });
    return Promise.resolve({ vectors, tokens });
  }

  embedOne(text: string): { vector: Float32Array; words: number } {
    const vector = new Float32Array(this.dimensions);
    const normalized = normalizeEmbeddingText(text);
    const words = normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      vector[h % this.dimensions] += h & 0x80000000 ? -weight : weight;
    };
    // Words weigh more than the many character grams each of them yields.
    for (let i = 0; i < words.length; i++) {
      add(`w:${words[i]}`, 2);
      if (i > 0) add(`b:${words[i - 1]} ${words[i]}`, 1.5);
    }
    const padded = ` ${words.join(' ')} `;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, 0.5);
    }
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < vector.length; i++) vector[i] *= scale;
    }
    return { vector, words: words.length };
  }
}
