import type { QueueStore, TrackedSignal } from './tracker.types.js';

export class LocalStorageStore implements QueueStore {
  constructor(
    private readonly storage: Storage,
    private readonly key = 'lssm.tracker.queue',
  ) {}
  async load(): Promise<TrackedSignal[]> {
    try {
      const raw = this.storage.getItem(this.key);
      return raw ? (JSON.parse(raw) as TrackedSignal[]) : [];
    } catch {
      return [];
    }
  }
  async save(signals: TrackedSignal[]): Promise<void> {
    try {
      this.storage.setItem(this.key, JSON.stringify(signals));
    } catch {
      // Quota exceeded or storage disabled: the in-memory queue still holds the events.
    }
  }
}
