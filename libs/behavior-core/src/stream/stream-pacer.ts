import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { cpus } from 'node:os';
import {
  BEHAVIOR_CORE_OPTIONS,
  BEHAVIOR_INGESTION_ELSEWHERE,
  BEHAVIOR_SIGNAL_BATCH_INGESTED,
} from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';

/** Ingestion counts as busy this long after the last batch was heard of. */
const INGESTION_RECENT_MS = 1000;
const CPU_SAMPLE_MS = 500;
const MAX_PAUSE_MS = 10_000;

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/**
 * Keeps the stream's consumers from taking the machine from ingestion. While this process hears
 * of ingestion (its own API, or the API that started it) and the machine's CPUs are at least
 * `stream.busyCpu` busy, a lane pauses after each batch so it spends at most `stream.busyShare`
 * of its time in batches; PostgreSQL's backends follow, as they work for whoever sends queries.
 * A dedicated worker (no API beside it) hears of no ingestion and never pauses.
 */
@Injectable()
export class StreamPacer {
  private lastIngestionAt = 0;
  private cpuBusy = 0;
  private sample = cpuTimes();
  private timer?: NodeJS.Timeout;
  private readonly onIngestion = () => {
    this.lastIngestionAt = Date.now();
  };

  constructor(
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    private readonly events: EventEmitter2,
  ) {}

  start(): void {
    if (this.timer || this.options.settings.stream.busyShare >= 1) return;
    this.events.on(BEHAVIOR_SIGNAL_BATCH_INGESTED, this.onIngestion);
    this.events.on(BEHAVIOR_INGESTION_ELSEWHERE, this.onIngestion);
    this.sample = cpuTimes();
    this.timer = setInterval(() => this.measure(), CPU_SAMPLE_MS).unref();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.events.off(BEHAVIOR_SIGNAL_BATCH_INGESTED, this.onIngestion);
    this.events.off(BEHAVIOR_INGESTION_ELSEWHERE, this.onIngestion);
  }

  /** Whether consumers yield now: ingestion heard of lately and the CPUs busy. */
  get yielding(): boolean {
    return (
      this.timer !== undefined &&
      Date.now() - this.lastIngestionAt < INGESTION_RECENT_MS &&
      this.cpuBusy >= this.options.settings.stream.busyCpu
    );
  }

  /** How long a lane waits after a batch that took `batchMs`. */
  pauseAfter(batchMs: number): number {
    if (!this.yielding) return 0;
    const share = this.options.settings.stream.busyShare;
    return Math.min(MAX_PAUSE_MS, Math.round(batchMs * (1 / share - 1)));
  }

  private measure(): void {
    const now = cpuTimes();
    const total = now.total - this.sample.total;
    if (total > 0) this.cpuBusy = (now.busy - this.sample.busy) / total;
    this.sample = now;
  }
}
