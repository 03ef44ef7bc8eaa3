import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { BehaviorSignalConsumer } from '../contracts/behavior-signal-consumer.js';
import { discoverDecoratedProviders } from '../nest/discover-providers.js';
import { RegisterSignalConsumer } from './signal-consumer.decorator.js';

/** A provider that contributes several consumers (e.g. one per anomaly rule). */
export interface SignalConsumerSource {
  signalConsumers(): readonly BehaviorSignalConsumer[];
}

const CONSUMER_NAME = /^[a-z][a-z0-9_.:-]{0,99}$/;

/**
 * Every signal consumer: providers marked `@RegisterSignalConsumer()` that are a consumer or a
 * source of consumers. Collected on first use (after every module's init, so sources can depend
 * on their own registries); a duplicate or malformed name stops start-up.
 */
@Injectable()
export class SignalConsumerRegistry {
  private consumers?: readonly BehaviorSignalConsumer[];

  constructor(private readonly discovery: DiscoveryService) {}

  all(): readonly BehaviorSignalConsumer[] {
    this.consumers ??= this.collect();
    return this.consumers;
  }

  byName(names: readonly string[]): BehaviorSignalConsumer[] {
    return this.all().filter((c) => names.includes(c.name));
  }

  private collect(): BehaviorSignalConsumer[] {
    const found: BehaviorSignalConsumer[] = [];
    for (const { instance } of discoverDecoratedProviders(this.discovery, RegisterSignalConsumer)) {
      const source = instance as Partial<SignalConsumerSource> & Partial<BehaviorSignalConsumer>;
      if (typeof source.signalConsumers === 'function') found.push(...source.signalConsumers());
      else if (typeof source.handle === 'function') found.push(source as BehaviorSignalConsumer);
      else
        throw new Error(`${instance.constructor.name} is marked @RegisterSignalConsumer but has no handle()`);
    }
    const names = new Set<string>();
    for (const consumer of found) {
      if (!CONSUMER_NAME.test(consumer.name)) {
        throw new Error(`Signal consumer name "${consumer.name}" must match ${CONSUMER_NAME.source}`);
      }
      const delivery: string = consumer.delivery;
      if (delivery !== 'transactional' && delivery !== 'external') {
        throw new Error(`Signal consumer "${consumer.name}" has delivery "${delivery}"`);
      }
      if (names.has(consumer.name)) throw new Error(`Signal consumer "${consumer.name}" is registered twice`);
      names.add(consumer.name);
    }
    return found;
  }
}
