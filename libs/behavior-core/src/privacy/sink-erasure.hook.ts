import { Injectable, Logger } from '@nestjs/common';
import type {
  BehaviorErasureHook,
  TenantErasureRequest,
  UserErasureRequest,
} from '../contracts/behavior-erasure-hook.js';
import type { SinkErasureRequest } from '../contracts/behavior-signal-sink.js';
import { SignalSinkRegistry } from '../sinks/signal-sink.registry.js';
import { RegisterErasureHook } from './erasure-hook.decorator.js';
import { UserIdHasher } from './user-id.hasher.js';

/**
 * Forwards erasures to the configured sinks that can act on one (`BehaviorSignalSink.erase`:
 * redis-streams deletes the entries, s3 writes a tombstone). After core's tables, so a sink
 * delivery read from PostgreSQL before the erasure is already in the sink when it is scanned.
 * A sink without `erase` is logged as not reached (docs/privacy.md lists what stays there).
 */
@RegisterErasureHook()
@Injectable()
export class SinkErasureHook implements BehaviorErasureHook {
  readonly name = 'sinks';
  readonly phase = 'after-core';
  private readonly logger = new Logger('SinkErasureHook');

  constructor(
    private readonly sinks: SignalSinkRegistry,
    private readonly hasher: UserIdHasher,
  ) {}

  async eraseUser({ erasureId, tenantId, userId }: UserErasureRequest): Promise<number> {
    const userHash = await this.hasher.hash(tenantId, userId);
    return this.forward({ erasureId, kind: 'user', tenantId, userId, userHash });
  }

  eraseTenant({ erasureId, tenantId }: TenantErasureRequest): Promise<number> {
    return this.forward({ erasureId, kind: 'tenant', tenantId, userId: null, userHash: null });
  }

  private async forward(request: SinkErasureRequest): Promise<number> {
    let total = 0;
    for (const consumer of this.sinks.signalConsumers()) {
      const n = await consumer.erase(request);
      if (n === null)
        this.logger.warn(
          `erasure ${request.erasureId}: sink "${consumer.options.name}" (${consumer.options.type}) cannot erase; what it received stays there`,
        );
      else total += n;
    }
    return total;
  }
}
