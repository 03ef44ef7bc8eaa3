import type { TrackedSignal } from './tracker.types.js';

export interface QueueBounds {
  maxCount: number;
  maxBytes: number;
}

const size = (s: TrackedSignal): number => JSON.stringify(s).length;

// Oldest first out: a long offline spell keeps the most recent behavior, which matters most for personalization.
export class BoundedQueue {
  private items: TrackedSignal[] = [];
  // Sizes beside the items: measured once on the way in, not again on the way out.
  private sizes: number[] = [];
  private bytes = 0;
  dropped = 0;

  constructor(private readonly bounds: QueueBounds) {}

  get length(): number {
    return this.items.length;
  }

  all(): TrackedSignal[] {
    return this.items.slice();
  }

  push(signal: TrackedSignal): TrackedSignal[] {
    const bytes = size(signal);
    this.items.push(signal);
    this.sizes.push(bytes);
    this.bytes += bytes;
    const evicted: TrackedSignal[] = [];
    while (
      this.items.length > this.bounds.maxCount ||
      (this.bytes > this.bounds.maxBytes && this.items.length > 0)
    ) {
      evicted.push(this.items.shift()!);
      this.bytes -= this.sizes.shift()!;
    }
    this.dropped += evicted.length;
    return evicted;
  }

  peek(n: number): TrackedSignal[] {
    return this.items.slice(0, n);
  }

  remove(keys: Set<string>): void {
    const items: TrackedSignal[] = [];
    const sizes: number[] = [];
    this.items.forEach((s, i) => {
      if (keys.has(s.signalKey)) this.bytes -= this.sizes[i];
      else {
        items.push(s);
        sizes.push(this.sizes[i]);
      }
    });
    this.items = items;
    this.sizes = sizes;
  }
}
