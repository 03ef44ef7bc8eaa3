import { Injectable } from '@nestjs/common';
import { StreamStatusRepository } from '../stream/stream-status.repository.js';
import { SignalSinkRegistry } from './signal-sink.registry.js';

export interface SinkHealth {
  readonly name: string;
  readonly type: string;
  /** `failing`: failing, not yet for `failureWarningMs`; `warning`: longer. */
  readonly status: 'up' | 'failing' | 'warning';
  readonly failingSince: string | null;
  readonly lastError: string | null;
}

export interface SinksHealth {
  /** `warning` when some sink has been failing longer than its `failureWarningMs`. */
  readonly status: 'up' | 'warning' | 'disabled';
  readonly sinks: readonly SinkHealth[];
}

/**
 * The configured sinks as the health endpoint reports them. A sink that is down is a warning,
 * never a failed check: signals are still accepted and committed, and it catches up when it returns.
 */
@Injectable()
export class SignalSinkHealthService {
  constructor(
    private readonly registry: SignalSinkRegistry,
    private readonly status: StreamStatusRepository,
  ) {}

  async health(): Promise<SinksHealth> {
    const consumers = this.registry.signalConsumers();
    if (consumers.length === 0) return { status: 'disabled', sinks: [] };
    const failing = new Map(
      (await this.status.failing(consumers.map((c) => c.name))).map((f) => [f.consumer, f]),
    );
    const sinks = consumers.map((consumer): SinkHealth => {
      const { name, type, failureWarningMs } = consumer.options;
      const f = failing.get(consumer.name);
      return {
        name,
        type,
        status: !f ? 'up' : f.failingForMs > failureWarningMs ? 'warning' : 'failing',
        failingSince: f?.failingSince ?? null,
        lastError: f?.lastError ?? null,
      };
    });
    return { status: sinks.some((s) => s.status === 'warning') ? 'warning' : 'up', sinks };
  }
}
