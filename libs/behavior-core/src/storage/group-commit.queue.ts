import type { Span } from '@opentelemetry/api';
import { submittingSpan, traceGroupCommit } from './group-commit.tracing.js';

interface Pending<I, O> {
  readonly items: readonly I[];
  resolve(outputs: O[]): void;
  reject(error: unknown): void;
  readonly span?: Span;
}

export interface GroupCommitOptions<I, O> {
  /** Items per write; requests are coalesced up to this size. */
  readonly maxBatch: number;
  /** Writes in flight at once (each holds one pooled connection). */
  readonly maxConcurrent: number;
  /** Items waiting (not in flight) at most; a submission beyond it is refused with QueueFullError. */
  readonly maxQueued?: number;
  /**
   * True for failures that are not caused by the items (the database is down): the
   * whole group fails with them. Any other failure is isolated to the items causing it.
   */
  readonly isOutage: (error: unknown) => boolean;
  /** The output of an item that fails even when written alone. */
  readonly onItemFailure: (item: I, error: unknown) => O;
}

/** The queue is full: the caller should answer "overloaded, retry later". */
export class QueueFullError extends Error {
  constructor(readonly queued: number) {
    super(`group-commit queue full (${queued} items waiting)`);
    this.name = 'QueueFullError';
  }
}

/**
 * Coalesces concurrent submissions into shared writes (group commit): while a
 * write is in flight, new submissions queue up and go out together in the next
 * one. At low load a submission is written at once; under load, one statement
 * and one commit serve many requests.
 *
 * A write that fails for a reason other than an outage is retried in halves, first by
 * submission (so other requests stay atomic), then by item within the failing submission,
 * so an item the database refuses costs only its own output (onItemFailure) and everything
 * beside it is written exactly once. An outage fails every submission of the write it hit;
 * within a failing submission's item retries it fails that submission, whose other items
 * may already be written.
 */
export class GroupCommitQueue<I, O> {
  private readonly pending: Pending<I, O>[] = [];
  private queued = 0;
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions<I, O>,
  ) {}

  submit(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    const max = this.options.maxQueued ?? Number.POSITIVE_INFINITY;
    // One submission is always let through an empty queue, however big, so no request can starve.
    if (this.queued > 0 && this.queued + items.length > max) {
      return Promise.reject(new QueueFullError(this.queued));
    }
    return new Promise<O[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject, span: submittingSpan() });
      this.queued += items.length;
      this.pump();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxConcurrent && this.pending.length > 0) {
      const group: Pending<I, O>[] = [];
      let size = 0;
      while (
        this.pending.length > 0 &&
        (group.length === 0 || size + this.pending[0].items.length <= this.options.maxBatch)
      ) {
        const next = this.pending.shift()!;
        group.push(next);
        size += next.items.length;
      }
      this.queued -= size;
      this.inFlight++;
      void this.run(group);
    }
    if (this.inFlight === 0 && this.pending.length === 0) {
      for (const waiter of this.idleWaiters.splice(0)) waiter();
    }
  }

  private async run(group: Pending<I, O>[]): Promise<void> {
    try {
      await this.settle(group);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /**
   * Writes a group's items in one statement. When that fails for a reason other than an
   * outage, the group is halved by submission until the failing submission stands alone,
   * so every other submission is still written atomically (its own transaction at worst).
   */
  private async settle(group: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await traceGroupCommit(group, () => this.write(group.flatMap((p) => p.items)));
      let offset = 0;
      for (const p of group) {
        p.resolve(outputs.slice(offset, offset + p.items.length));
        offset += p.items.length;
      }
    } catch (error) {
      if (this.options.isOutage(error)) {
        for (const p of group) p.reject(error);
      } else if (group.length > 1) {
        const middle = group.length >>> 1;
        await this.settle(group.slice(0, middle));
        await this.settle(group.slice(middle));
      } else {
        const [p] = group;
        await this.isolateItems(p.items, error).then(p.resolve, p.reject);
      }
    }
  }

  /** The items of one submission whose write failed with `error`: halved until each failing item stands alone. */
  private async isolateItems(items: readonly I[], error: unknown): Promise<O[]> {
    if (items.length === 1) return [this.options.onItemFailure(items[0], error)];
    const middle = items.length >>> 1;
    const left = await this.writeOrIsolate(items.slice(0, middle));
    const right = await this.writeOrIsolate(items.slice(middle));
    return left.concat(right);
  }

  private async writeOrIsolate(items: I[]): Promise<O[]> {
    try {
      return await this.write(items);
    } catch (error) {
      if (this.options.isOutage(error)) throw error;
      return this.isolateItems(items, error);
    }
  }
}
