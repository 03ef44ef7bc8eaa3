import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import type { BehaviorMetricProjector } from '../contracts/behavior-metric-projector.js';
import { collectNamedExtensions } from '../nest/named-extensions.js';
import { RegisterMetricProjector } from './metric-projector.decorator.js';

/** The projectors `ai.behavior.metrics.projectors` enables, in that order. */
@Injectable()
export class MetricProjectorRegistry implements OnModuleInit {
  private all = new Map<string, BehaviorMetricProjector>();
  private ordered: BehaviorMetricProjector[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(BEHAVIOR_CORE_OPTIONS) private readonly options: BehaviorCoreOptions,
  ) {}

  onModuleInit(): void {
    const { all, active } = collectNamedExtensions<BehaviorMetricProjector>(
      this.discovery,
      RegisterMetricProjector,
      'metric projector',
      'ai.behavior.metrics.projectors',
      this.options.settings.metrics.projectors,
      new Logger('MetricProjectorRegistry'),
    );
    this.all = all;
    this.ordered = active;
  }

  active(): readonly BehaviorMetricProjector[] {
    return this.ordered;
  }

  /** One enabled projector by name (replay of a single projector); throws on an unknown one. */
  byName(name: string): BehaviorMetricProjector {
    const found = this.ordered.find((p) => p.name === name);
    if (!found) {
      const hint = this.all.has(name) ? ' (registered but not listed in ai.behavior.metrics.projectors)' : '';
      throw new Error(`No active metric projector "${name}"${hint}`);
    }
    return found;
  }
}
