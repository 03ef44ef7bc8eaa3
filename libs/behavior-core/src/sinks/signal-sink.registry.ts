import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BEHAVIOR_CORE_MODULE_OPTIONS, BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreModuleOptions } from '../contracts/behavior-add-on.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { BehaviorSignalSinkFactory } from '../contracts/behavior-signal-sink.js';
import { discoverDecoratedProviders } from '../nest/discover-providers.js';
import { RegisterSignalConsumer } from '../stream/signal-consumer.decorator.js';
import type { SignalConsumerSource } from '../stream/signal-consumer.registry.js';
import { BehaviorTelemetry } from '../telemetry/behavior-telemetry.service.js';
import { RegisterSignalSink } from './signal-sink.decorator.js';
import { SignalSinkConsumer } from './signal-sink.consumer.js';
import { SignalSinkConfigError } from './signal-sink-config.error.js';
import {
  DEFAULT_SINK_BATCH_SIZE,
  DEFAULT_SINK_FAILURE_WARNING_MS,
  sinkEntryProblems,
  sinkSettingsOf,
  type SignalSinkEntry,
} from './sink-settings.validator.js';

/**
 * The sinks `ai.behavior.sinks` configures, each made by the provider registered for its type and
 * fed by the signal stream as the consumer `sink:<name>`. A type registered twice, an entry of a
 * type nothing registers or with settings its type refuses stops start-up.
 */
@RegisterSignalConsumer()
@Injectable()
export class SignalSinkRegistry implements SignalConsumerSource, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SignalSinkRegistry');
  private consumers: SignalSinkConsumer[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
    @Inject(BEHAVIOR_CORE_MODULE_OPTIONS) private readonly moduleOptions: BehaviorCoreModuleOptions,
    private readonly telemetry: BehaviorTelemetry,
  ) {}

  onModuleInit(): void {
    const factories = this.discoverFactories();
    const entries = this.options.settings.sinks as readonly SignalSinkEntry[];
    const problems = sinkEntryProblems(entries, factories, { redisUrl: this.moduleOptions.redisUrl ?? null });
    if (problems.length > 0) throw new SignalSinkConfigError(problems);
    this.consumers = entries.map((entry) => {
      const sink = factories.get(entry.type)!.create(sinkSettingsOf(entry), entry.name);
      return new SignalSinkConsumer(
        {
          name: entry.name,
          type: entry.type,
          batchSize: entry.batchSize ?? DEFAULT_SINK_BATCH_SIZE,
          failureWarningMs: entry.failureWarningMs ?? DEFAULT_SINK_FAILURE_WARNING_MS,
        },
        sink,
        this.telemetry,
      );
    });
    this.logger.log(
      `sink types registered: ${[...factories.keys()].join(', ') || 'none'}; sinks (ai.behavior.sinks): ${
        entries.map((e) => `${e.name} (${e.type})`).join(', ') || 'none'
      }`,
    );
  }

  signalConsumers(): readonly SignalSinkConsumer[] {
    return this.consumers;
  }

  /** Runs after the stream worker stopped (it stops before application shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.close()));
  }

  private discoverFactories(): Map<string, BehaviorSignalSinkFactory> {
    const factories = new Map<string, BehaviorSignalSinkFactory>();
    for (const { instance } of discoverDecoratedProviders(this.discovery, RegisterSignalSink)) {
      const factory = instance as Partial<BehaviorSignalSinkFactory>;
      const what = instance.constructor.name;
      if (typeof factory.type !== 'string' || !factory.type) throw new Error(`Sink type ${what} has no type`);
      if (typeof factory.create !== 'function') throw new Error(`Sink type ${what} has no create()`);
      if (
        factory.settingsSchema?.type !== 'object' ||
        factory.settingsSchema.additionalProperties !== false
      ) {
        throw new Error(
          `Sink type "${factory.type}" needs an object settingsSchema with additionalProperties: false`,
        );
      }
      if (factories.has(factory.type)) throw new Error(`Sink type "${factory.type}" is registered twice`);
      factories.set(factory.type, factory as BehaviorSignalSinkFactory);
    }
    return factories;
  }
}
