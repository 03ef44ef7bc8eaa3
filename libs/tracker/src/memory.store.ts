import type { QueueStore, TrackedSignal } from './tracker.types.js';

export class MemoryStore implements QueueStore {
  private data: TrackedSignal[] = [];
  async load(): Promise<TrackedSignal[]> {
    return this.data.slice();
  }
  async save(signals: TrackedSignal[]): Promise<void> {
    this.data = signals.slice();
  }
}
