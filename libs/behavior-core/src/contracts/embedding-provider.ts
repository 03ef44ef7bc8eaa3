/** What one `embed` call returns: one vector per input text, in order, and the tokens billed. */
export interface EmbeddingResult {
  readonly vectors: readonly Float32Array[];
  /** Tokens the provider counted (its usage report, or an estimate when it gives none). */
  readonly tokens: number;
}

/**
 * Turns texts into fixed-length vectors (docs/embeddings.md). Bound to `EMBEDDING_PROVIDER`; the
 * embedder consumer and the search endpoint use the same one, so query and stored vectors compare.
 */
export interface EmbeddingProvider {
  /** Stored with each vector (`local`, `openai-compatible`): vectors of another provider never mix. */
  readonly name: string;
  /** Stored with each vector; a model change embeds texts again instead of comparing unlike vectors. */
  readonly model: string;
  readonly dimensions: number;
  /** Texts per `embed` call at most; callers split larger lists. */
  readonly maxBatchSize: number;
  /** US dollars per 1000 tokens when known (behavior.embeddings.cost). */
  readonly costPer1kTokens?: number;
  /** Rejects (after its own retries) when the provider cannot answer; the batch is retried later. */
  embed(texts: readonly string[]): Promise<EmbeddingResult>;
}
