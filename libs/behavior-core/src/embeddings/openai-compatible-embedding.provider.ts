import type { EmbeddingProvider, EmbeddingResult } from '../contracts/embedding-provider.js';

export interface OpenAiCompatibleSettings {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey: string | null;
  readonly dimensions: number;
  readonly maxBatchSize: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly costPer1kTokens: number | null;
  /** First backoff step (doubles per attempt, with full jitter); tests shorten it. */
  readonly backoffMs?: number;
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
  usage?: { prompt_tokens?: number; total_tokens?: number };
}

const MAX_BACKOFF_MS = 30_000;

/** Thrown when the server answers but not usefully (4xx other than 429, a malformed body). */
export class EmbeddingProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingProviderError';
  }
}

/**
 * The `/v1/embeddings` API that OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio and others serve.
 * Splits into requests of `maxBatchSize` texts; a 429, a 5xx, a timeout or a network failure is
 * retried up to `maxRetries` times with exponential backoff and full jitter, honoring Retry-After.
 */
export class OpenAiCompatibleEmbeddingProvider implements EmbeddingProvider {
  readonly name = 'openai-compatible';
  readonly model: string;
  readonly dimensions: number;
  readonly maxBatchSize: number;
  readonly costPer1kTokens?: number;
  private readonly url: string;

  constructor(
    private readonly settings: OpenAiCompatibleSettings,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.model = settings.model;
    this.dimensions = settings.dimensions;
    this.maxBatchSize = settings.maxBatchSize;
    if (settings.costPer1kTokens !== null) this.costPer1kTokens = settings.costPer1kTokens;
    this.url = `${settings.baseUrl.replace(/\/+$/, '')}/v1/embeddings`;
  }

  async embed(texts: readonly string[]): Promise<EmbeddingResult> {
    const vectors: Float32Array[] = [];
    let tokens = 0;
    for (let start = 0; start < texts.length; start += this.maxBatchSize) {
      const chunk = texts.slice(start, start + this.maxBatchSize);
      const result = await this.request(chunk);
      vectors.push(...result.vectors);
      tokens += result.tokens;
    }
    return { vectors, tokens };
  }

  private async request(input: readonly string[]): Promise<EmbeddingResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const body = JSON.stringify({ model: this.model, input });
    for (let attempt = 0; ; attempt++) {
      let retryAfterMs: number | undefined;
      let failure: string;
      try {
        const response = await this.fetchFn(this.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(this.settings.timeoutMs),
        });
        if (response.ok) return this.parse((await response.json()) as EmbeddingsResponse, input);
        const text = (await response.text().catch(() => '')).slice(0, 200);
        failure = `HTTP ${response.status} from ${this.url}: ${text}`;
        if (response.status !== 429 && response.status < 500) {
          throw new EmbeddingProviderError(failure, response.status);
        }
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof EmbeddingProviderError) throw error;
        failure = `${this.url}: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (attempt >= this.settings.maxRetries) {
        throw new EmbeddingProviderError(
          `embedding request failed after ${attempt + 1} attempts: ${failure}`,
        );
      }
      const base = this.settings.backoffMs ?? 500;
      const backoff = Math.random() * Math.min(MAX_BACKOFF_MS, base * 2 ** attempt);
      await sleep(Math.min(MAX_BACKOFF_MS, Math.max(backoff, retryAfterMs ?? 0)));
    }
  }

  private parse(body: EmbeddingsResponse, input: readonly string[]): EmbeddingResult {
    const data = body.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingProviderError(
        `expected ${input.length} embeddings from ${this.url}, got ${Array.isArray(data) ? data.length : 'none'}`,
      );
    }
    const vectors = new Array<Float32Array>(input.length);
    data.forEach((item, position) => {
      const index = typeof item.index === 'number' ? item.index : position;
      const embedding = item.embedding;
      if (!Array.isArray(embedding) || embedding.length !== this.dimensions || index >= input.length) {
        throw new EmbeddingProviderError(
          `embedding ${index} from ${this.url} is not ${this.dimensions} numbers (set openaiCompatible.dimensions to the model's)`,
        );
      }
      vectors[index] = Float32Array.from(embedding as number[]);
    });
    // Cosine search assumes unit vectors; most models return them, some do not.
    for (const vector of vectors) normalize(vector);
    const tokens =
      body.usage?.total_tokens ??
      body.usage?.prompt_tokens ??
      // No usage reported (some local servers): about four characters per token.
      input.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    return { vectors, tokens };
  }
}

function normalize(vector: Float32Array): void {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (norm === 0) return;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
