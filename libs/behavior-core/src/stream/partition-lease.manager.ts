import { Logger } from '@nestjs/common';
import type { PartitionLeaseRepository } from './partition-lease.repository.js';

export interface PartitionLeaseOptions {
  readonly workerId: string;
  readonly partitions: number;
  readonly ttlMs: number;
  readonly renewMs: number;
  /** Called when the set of held partitions changed (to wake the lanes). */
  readonly onChange?: (owned: readonly number[]) => void;
}

/**
 * Keeps this process's fair share of the stream's partitions: every renewMs it marks itself
 * alive, renews its leases, gives back what exceeds its share (a worker joined) and takes free or
 * expired ones up to it (a worker left or died). Shares are floor(P/W) or one more, by worker id
 * order, so they add up to P and every partition has an owner while any worker lives.
 */
export class PartitionLeaseManager {
  private readonly logger = new Logger('PartitionLeases');
  private held: readonly number[] = [];
  // A lease renewed at T holds until T + ttl; work stops a renew interval before that, so a
  // worker cut off from the database never works past its lease.
  private validUntil = 0;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    private readonly leases: PartitionLeaseRepository,
    private readonly options: PartitionLeaseOptions,
  ) {}

  /** The partitions this process may work on now. */
  owned(): readonly number[] {
    return Date.now() < this.validUntil ? this.held : [];
  }

  async start(): Promise<void> {
    await this.leases.ensurePartitions(this.options.partitions);
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = undefined));
    }, this.options.renewMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    this.validUntil = 0;
    this.held = [];
    await this.leases.leave(this.options.workerId).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    const { workerId, ttlMs } = this.options;
    const started = Date.now();
    try {
      const workers = await this.leases.heartbeat(workerId, ttlMs);
      const total = await this.leases.partitionCount();
      const share = fairShare(total, workers, workerId);
      let held = await this.leases.renew(workerId, ttlMs);
      if (held.length > share) {
        const extra = held.slice(share);
        await this.leases.release(workerId, extra);
        held = held.slice(0, share);
      } else if (held.length < share) {
        held = [...held, ...(await this.leases.acquire(workerId, ttlMs, share - held.length))].sort(
          (a, b) => a - b,
        );
      }
      const changed = held.join() !== this.held.join();
      this.held = held;
      this.validUntil = started + ttlMs - this.options.renewMs;
      if (changed) {
        this.logger.log(
          `worker ${workerId} holds ${held.length}/${total} partitions (${workers.length} workers)`,
        );
        this.options.onChange?.(held);
      }
    } catch (error) {
      this.logger.warn(`lease renewal failed (keeping leases until they lapse): ${String(error)}`);
    }
  }
}

/** floor(P/W), plus one for the first P mod W workers in id order; 0 for a worker not listed. */
export function fairShare(partitions: number, workers: readonly string[], workerId: string): number {
  const index = workers.indexOf(workerId);
  if (index < 0 || workers.length === 0) return 0;
  return Math.floor(partitions / workers.length) + (index < partitions % workers.length ? 1 : 0);
}
