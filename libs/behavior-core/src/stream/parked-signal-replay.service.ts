import { DatabasePool, notFound, transaction } from '@lssm/nest-common';
import { Inject, Injectable } from '@nestjs/common';
import type { BehaviorSignalConsumer } from '../contracts/behavior-signal-consumer.js';
import { ParkedSignalRepository } from './parked-signal.repository.js';
import { SignalConsumerRegistry } from './signal-consumer.registry.js';

/** Hands parked signals back to their consumer (after it was fixed), one signal at a time. */
@Injectable()
export class ParkedSignalReplayService {
  constructor(
    @Inject(DatabasePool) private readonly db: DatabasePool,
    private readonly consumers: SignalConsumerRegistry,
    private readonly parked: ParkedSignalRepository,
  ) {}

  consumer(name: string): BehaviorSignalConsumer {
    const [consumer] = this.consumers.byName([name]);
    if (!consumer) throw notFound('consumer_not_found', `No signal consumer "${name}"`);
    return consumer;
  }

  async replay(name: string, limit: number): Promise<{ replayed: number; failed: number }> {
    const consumer = this.consumer(name);
    let replayed = 0;
    let failed = 0;
    for (const signal of await this.parked.pending(name, limit)) {
      const batch = { partition: signal.partition, signals: [signal] };
      try {
        if (consumer.delivery === 'transactional') {
          await transaction(this.db.background, async (client) => {
            await consumer.handle(batch, client);
            await this.parked.markReplayed(client, name, signal.signal.id);
          });
        } else {
          await consumer.handle(batch);
          await this.parked.markReplayed(this.db.background, name, signal.signal.id);
        }
        replayed++;
      } catch (error) {
        failed++;
        await this.parked.markFailed(name, signal.signal.id, String(error));
      }
    }
    return { replayed, failed };
  }
}
