import type { Queryable } from '@lssm/nest-common';

/**
 * Makes sure a monthly partition of behavior_signals exists before a write lands
 * in it. Known months are cached, so the hot path pays one Set lookup per batch.
 */
export class SignalPartitionManager {
  private readonly known = new Set<string>();

  constructor(private readonly pool: Queryable) {}

  /** Creates the partitions from `monthsBack` before to `monthsAhead` after now. */
  async ensureAround(now: Date, monthsBack = 1, monthsAhead = 3): Promise<void> {
    const months: string[] = [];
    for (let offset = -monthsBack; offset <= monthsAhead; offset++) {
      months.push(monthKey(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1))));
    }
    await this.ensureMonths(months);
  }

  async ensureFor(timestamps: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const ts of timestamps) {
      const key = ts.slice(0, 7); // ISO 8601 in UTC: YYYY-MM
      if (!this.known.has(key)) missing.add(key);
    }
    if (missing.size > 0) await this.ensureMonths([...missing]);
  }

  /** After a "no partition" error (partitions dropped behind our back). */
  forget(): void {
    this.known.clear();
  }

  private async ensureMonths(months: string[]): Promise<void> {
    const todo = months.filter((m) => !this.known.has(m));
    if (todo.length === 0) return;
    await this.pool.query('select ensure_signal_partition(m::date) from unnest($1::text[]) as m', [
      todo.map((m) => `${m}-01`),
    ]);
    for (const m of todo) this.known.add(m);
  }
}

function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}
