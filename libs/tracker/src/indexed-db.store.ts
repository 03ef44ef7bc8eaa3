import type { QueueStore, TrackedSignal } from './tracker.types.js';

const STORE = 'queue';

// One record holds the whole (bounded) queue: a single put is atomic, so a reload never sees half a save.
export class IndexedDbStore implements QueueStore {
  private db?: Promise<IDBDatabase>;
  constructor(
    private readonly factory: IDBFactory,
    private readonly name = 'lssm-tracker',
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(this.name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const req = op(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error);
    });
  }

  async load(): Promise<TrackedSignal[]> {
    return ((await this.run<TrackedSignal[] | undefined>('readonly', (s) => s.get('signals'))) ?? []).slice();
  }

  async save(signals: TrackedSignal[]): Promise<void> {
    await this.run('readwrite', (s) => s.put(signals, 'signals'));
  }
}
