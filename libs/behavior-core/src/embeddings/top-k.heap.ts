/**
 * The k highest-scored items seen, in a min-heap on score: each push is O(log k) and nothing
 * beyond k is kept, so scoring 100k candidates allocates no array of 100k results.
 */
export class TopKHeap<T> {
  private readonly scores: number[] = [];
  private readonly items: T[] = [];

  constructor(private readonly k: number) {}

  /** Lowest score kept, once full (a candidate must beat it). */
  get threshold(): number {
    return this.scores.length < this.k ? -Infinity : this.scores[0];
  }

  push(score: number, item: T): void {
    if (this.k <= 0) return;
    if (this.scores.length < this.k) {
      this.scores.push(score);
      this.items.push(item);
      this.up(this.scores.length - 1);
    } else if (score > this.scores[0]) {
      this.scores[0] = score;
      this.items[0] = item;
      this.down(0);
    }
  }

  /** Highest score first. */
  sorted(): { score: number; item: T }[] {
    return this.scores.map((score, i) => ({ score, item: this.items[i] })).sort((a, b) => b.score - a.score);
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j], this.scores[i]];
    [this.items[i], this.items[j]] = [this.items[j], this.items[i]];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent] <= this.scores[i]) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.scores[l] < this.scores[min]) min = l;
      if (r < n && this.scores[r] < this.scores[min]) min = r;
      if (min === i) return;
      this.swap(i, min);
      i = min;
    }
  }
}
