import { LocalEmbeddingProvider, normalizeEmbeddingText } from './local-embedding.provider';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i], 0);

describe('LocalEmbeddingProvider', () => {
  const provider = new LocalEmbeddingProvider();
  const one = (text: string) => provider.embedOne(text).vector;

  it('is deterministic, 384-dimensional and L2-normalized', async () => {
    const { vectors, tokens } = await provider.embed(['I cannot log in', 'I cannot log in']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(384);
    expect(Array.from(vectors[0])).toEqual(Array.from(vectors[1]));
    expect(Array.from(new LocalEmbeddingProvider().embedOne('I cannot log in').vector)).toEqual(
      Array.from(vectors[0]),
    );
    expect(cosine(vectors[0], vectors[0])).toBeCloseTo(1, 5);
    expect(tokens).toBe(8);
  });

  it('ignores case, accents, apostrophes and spacing', () => {
    expect(normalizeEmbeddingText("  Can't   LOG in, Café ")).toBe('cant log in, cafe');
    expect(cosine(one("Can't log in"), one('cant   LOG IN'))).toBeCloseTo(1, 5);
  });

  it('ranks keyword overlap above unrelated text', () => {
    const query = one("can't log in to my account");
    const near = cosine(query, one('I cannot log in to my account since yesterday'));
    const far = cosine(query, one('the dark mode colors look great'));
    expect(near).toBeGreaterThan(0.4);
    expect(far).toBeLessThan(0.15);
    expect(near).toBeGreaterThan(far);
  });

  it('gives an empty text the zero vector (no NaN)', () => {
    const vector = one('   ');
    expect(vector.every((x) => x === 0)).toBe(true);
  });

  it('uses both signs (signed hashing)', () => {
    const vector = one('a reasonably long sentence about checkout problems and payments');
    expect(vector.some((x) => x > 0)).toBe(true);
    expect(vector.some((x) => x < 0)).toBe(true);
  });
});
