import { topK } from './embedding-search.service';
import { TopKHeap } from './top-k.heap';

describe('TopKHeap and topK', () => {
  it('keeps the k highest scores, highest first', () => {
    const heap = new TopKHeap<number>(3);
    for (const score of [5, 1, 9, 3, 7, 8, 2]) heap.push(score, score * 10);
    expect(heap.sorted()).toEqual([
      { score: 9, item: 90 },
      { score: 8, item: 80 },
      { score: 7, item: 70 },
    ]);
    expect(heap.threshold).toBe(7);
  });

  it('matches a full sort on random vectors', () => {
    const dims = 16;
    const random = () => Float32Array.from({ length: dims }, () => Math.random() - 0.5);
    const candidates = Array.from({ length: 500 }, (_, id) => ({ id, vector: random() }));
    const query = random();
    const dot = (v: Float32Array) => v.reduce((s, x, i) => s + x * query[i], 0);
    const expected = [...candidates].sort((a, b) => dot(b.vector) - dot(a.vector)).slice(0, 10);
    expect(topK(query, candidates, 10).map((h) => h.item.id)).toEqual(expected.map((c) => c.id));
  });
});
