import type { BehaviorQuery, BehaviorStore } from '../contracts/behavior-store.js';
import type { BehaviorEvent } from '../events/behavior-event.js';

/** For tests, demos and single-process apps. Keeps everything it is given; nothing expires. */
export class InMemoryBehaviorStore implements BehaviorStore {
  private readonly events: BehaviorEvent[] = [];
  private readonly ids = new Set<string>();

  /** Idempotent on `event.id`, like the HTTP ingestion's `signalKey`, so a retried batch is harmless. */
  async append(events: readonly BehaviorEvent[]): Promise<void> {
    for (const event of events) {
      if (this.ids.has(event.id)) continue;
      this.ids.add(event.id);
      this.events.push(structuredClone(event));
    }
  }

  /** Matching events ordered by timestamp (insertion order among equal timestamps). */
  async query(query: BehaviorQuery): Promise<BehaviorEvent[]> {
    const since = toMillis(query.since);
    const until = toMillis(query.until);
    const kinds = query.kinds ? new Set<string>(query.kinds) : undefined;
    return this.events
      .filter(
        (e) =>
          e.tenantId === query.tenantId &&
          (query.userId === undefined || e.userId === query.userId) &&
          (query.role === undefined || e.role === query.role) &&
          (since === undefined || e.timestamp >= since) &&
          (until === undefined || e.timestamp <= until) &&
          (kinds === undefined || kinds.has(e.kind)),
      )
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((e) => structuredClone(e));
  }

  get size(): number {
    return this.events.length;
  }

  clear(): void {
    this.events.length = 0;
    this.ids.clear();
  }
}

function toMillis(value: Date | number | undefined): number | undefined {
  return value instanceof Date ? value.getTime() : value;
}
