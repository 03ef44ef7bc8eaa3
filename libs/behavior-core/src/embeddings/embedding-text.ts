import { createHash } from 'node:crypto';
import { normalizeEmbeddingText } from './local-embedding.provider.js';

/** The repeat key of a text: sha256 of its normalized form (same key, same vector). */
export function embeddingContentHash(text: string): string {
  return createHash('sha256').update(normalizeEmbeddingText(text)).digest('hex');
}
