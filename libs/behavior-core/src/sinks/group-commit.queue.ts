import type { Span } from '@opentelemetry/api';
import { submittingSpan, traceGroupCommit } from './group-commit.tracing.js';

interface Pending<I, O> {
  readonly items: readonly I[];
  resolve(outputs: O[]): void;
  reject(error: unknown): void;
  readonly span?: Span;
}

export interface GroupCommitOptions {
  /** Items per write; requests are coalesced up to this size. */
  readonly maxBatch: number;
  /** Writes in flight at once (each holds one pooled connection). */
  readonly maxConcurrent: number;
}

/**
 * Coalesces concurrent submissions into shared writes (group commit): while a
 * write is in flight, new submissions queue up and go out together in the next
 * one. At low load a submission is written at once; under load, one statement
 * and one commit serve many requests. A failed write fails every submission in it.
 */
export class GroupCommitQueue<I, O> {
  private readonly pending: Pending<I, O>[] = [];
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(items: readonly I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.pending.push({ items, resolve, reject, span: submittingSpan() });
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
      this.inFlight++;
      void this.run(group);
    }
    if (this.inFlight === 0 && this.pending.length === 0) {
      for (const waiter of this.idleWaiters.splice(0)) waiter();
    }
  }

  private async run(group: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await traceGroupCommit(group, () => this.write(group.flatMap((p) => p.items)));
      let offset = 0;
      for (const p of group) {
        p.resolve(outputs.slice(offset, offset + p.items.length));
        offset += p.items.length;
      }
    } catch (error) {
      for (const p of group) p.reject(error);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }
}
