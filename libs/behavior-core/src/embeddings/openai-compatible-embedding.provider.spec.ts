import {
  EmbeddingProviderError,
  OpenAiCompatibleEmbeddingProvider,
} from './openai-compatible-embedding.provider';

const settings = {
  baseUrl: 'http://embed.test/',
  model: 'm',
  apiKey: null,
  dimensions: 2,
  maxBatchSize: 2,
  timeoutMs: 1000,
  maxRetries: 2,
  costPer1kTokens: null,
  backoffMs: 1,
};

const ok = (input: string[]) =>
  new Response(
    JSON.stringify({
      data: input.map((_, index) => ({ index, embedding: [3, 4] })),
      usage: { total_tokens: input.length },
    }),
    { status: 200 },
  );

describe('OpenAiCompatibleEmbeddingProvider', () => {
  it('posts batches of maxBatchSize to /v1/embeddings and normalizes the vectors', async () => {
    const calls: { url: string; body: { model: string; input: string[] }; auth?: string }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      const body = JSON.parse(init.body as string);
      calls.push({ url, body, auth: (init.headers as Record<string, string>).authorization });
      return ok(body.input);
    }) as unknown as typeof fetch;
    const provider = new OpenAiCompatibleEmbeddingProvider(settings, fetchFn);
    const result = await provider.embed(['a', 'b', 'c']);
    expect(calls.map((c) => [c.url, c.body.input])).toEqual([
      ['http://embed.test/v1/embeddings', ['a', 'b']],
      ['http://embed.test/v1/embeddings', ['c']],
    ]);
    expect(calls[0].auth).toBeUndefined();
    expect(result.tokens).toBe(3);
    expect(Array.from(result.vectors[2])).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
    expect(provider.costPer1kTokens).toBeUndefined();
  });

  it('retries 429 and 5xx (waiting Retry-After), gives up after maxRetries, never retries another 4xx', async () => {
    const statuses = [429, 503, 200];
    const started = Date.now();
    let n = 0;
    const flaky = (async (_url: string, init: RequestInit) => {
      const status = statuses[n++];
      if (status === 200) return ok(JSON.parse(init.body as string).input);
      return new Response('busy', { status, headers: status === 429 ? { 'retry-after': '0.2' } : {} });
    }) as unknown as typeof fetch;
    await new OpenAiCompatibleEmbeddingProvider(settings, flaky).embed(['a']);
    expect(n).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    let down = 0;
    const always500 = (async () => {
      down++;
      return new Response('no', { status: 500 });
    }) as unknown as typeof fetch;
    await expect(new OpenAiCompatibleEmbeddingProvider(settings, always500).embed(['a'])).rejects.toThrow(
      /after 3 attempts: HTTP 500/,
    );
    expect(down).toBe(3);

    let bad = 0;
    const unauthorized = (async () => {
      bad++;
      return new Response('bad key', { status: 401 });
    }) as unknown as typeof fetch;
    await expect(
      new OpenAiCompatibleEmbeddingProvider(settings, unauthorized).embed(['a']),
    ).rejects.toBeInstanceOf(EmbeddingProviderError);
    expect(bad).toBe(1);
  });

  it('refuses vectors of another length than dimensions', async () => {
    const wrong = (async () =>
      new Response(JSON.stringify({ data: [{ index: 0, embedding: [1, 2, 3] }] }), {
        status: 200,
      })) as unknown as typeof fetch;
    await expect(new OpenAiCompatibleEmbeddingProvider(settings, wrong).embed(['a'])).rejects.toThrow(
      /not 2 numbers/,
    );
  });

  it('times out a request that never answers, then retries it', async () => {
    let n = 0;
    const hang = ((_url: string, init: RequestInit) => {
      n++;
      return new Promise((_, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    }) as unknown as typeof fetch;
    const provider = new OpenAiCompatibleEmbeddingProvider(
      { ...settings, timeoutMs: 50, maxRetries: 1 },
      hang,
    );
    await expect(provider.embed(['a'])).rejects.toThrow(/after 2 attempts/);
    expect(n).toBe(2);
  });
});
