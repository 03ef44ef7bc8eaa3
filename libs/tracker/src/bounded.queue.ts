import type { TrackedSignal } from './tracker.types.js';

export interface QueueBounds {
  maxCount: number;
  maxBytes: number;
}

const size = (s: TrackedSignal): number => JSON.stringify(s).length;

// Oldest first out: a long offline spell keeps the most recent behavior, which matters most for personalization.
export class BoundedQueue {
  private items: TrackedSignal[] = [];
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
    this.items.push(signal);
    this.bytes += size(signal);
    const evicted: TrackedSignal[] = [];
    while (
      this.items.length > this.bounds.maxCount ||
      (this.bytes > this.bounds.maxBytes && this.items.length > 0)
    ) {
      const old = this.items.shift()!;
      this.bytes -= size(old);
      evicted.push(old);
    }
    this.dropped += evicted.length;
    return evicted;
  }

  peek(n: number): TrackedSignal[] {
    return this.items.slice(0, n);
  }

  remove(keys: Set<string>): void {
    this.items = this.items.filter((s) => {
      if (!keys.has(s.signalKey)) return true;
      this.bytes -= size(s);
      return false;
    });
  }
}
