import type { BehaviorSettings } from '../config/behavior-settings.schema.js';
import type { EmbeddingProvider } from '../contracts/embedding-provider.js';
import { LocalEmbeddingProvider } from './local-embedding.provider.js';
import { OpenAiCompatibleEmbeddingProvider } from './openai-compatible-embedding.provider.js';

/** The provider `ai.behavior.embeddings.provider` names; a provider missing its settings stops start-up. */
export function createEmbeddingProvider(settings: BehaviorSettings['embeddings']): EmbeddingProvider {
  if (settings.provider === 'local') return new LocalEmbeddingProvider();
  const { baseUrl, ...rest } = settings.openaiCompatible;
  if (!baseUrl) {
    throw new Error(
      'ai.behavior.embeddings.provider is openai-compatible but ai.behavior.embeddings.openaiCompatible.baseUrl is null',
    );
  }
  return new OpenAiCompatibleEmbeddingProvider({ baseUrl, ...rest });
}
