import type { ClassProvider, DynamicModule, FactoryProvider, Type, ValueProvider } from '@nestjs/common';
import type { BehaviorCoreOptions } from './behavior-core-options.js';
import type { BehaviorDataProvider } from './behavior-data-provider.js';
import type { BehaviorSignalStore } from './behavior-signal-store.js';
import type { JobRunner } from './job-runner.js';

/** A replacement for one of core's seams: a class Nest builds, a ready value, or a factory with its injections. */
export type BehaviorSeamProvider<T> =
  Omit<ClassProvider<T>, 'provide'> | Omit<ValueProvider<T>, 'provide'> | Omit<FactoryProvider<T>, 'provide'>;

/**
 * The parts of core a host or an add-on may replace. Left out, core uses its own: the PostgreSQL
 * signal store and data provider, and the in-process or BullMQ job runner chosen by `processing.runner`.
 * Their optional `init()`/`close()` hooks run at start-up and shutdown.
 */
export interface BehaviorSeams {
  readonly signalStore?: BehaviorSeamProvider<BehaviorSignalStore>;
  readonly dataProvider?: BehaviorSeamProvider<BehaviorDataProvider>;
  readonly jobRunner?: BehaviorSeamProvider<JobRunner>;
}

/**
 * What a domain add-on contributes, handed to `BehaviorCoreModule.forRoot({ addOns })` by the
 * host app for each add-on it enables. The core imports `module` (so its decorated providers are
 * discovered), loads `schemaDirs` next to the configured schema path, and switches on the named
 * extensions; see docs/add-ons.md.
 */
export interface BehaviorAddOn {
  /** Unique among the add-ons, used in start-up messages. */
  readonly name: string;
  readonly module: DynamicModule | Type<unknown>;
  /** Absolute directories of schema YAML files shipped with the add-on. */
  readonly schemaDirs?: readonly string[];
  /** Appended to `ai.behavior.metrics.projectors` unless the config lists them already (then config order wins). */
  readonly metricProjectors?: readonly string[];
  /** Appended to `ai.behavior.insights.strategies` unless the config lists them already. */
  readonly insightStrategies?: readonly string[];
  /**
   * Becomes the active segmentation strategy instead of `ai.behavior.segmentation.strategy`;
   * it should fall back to a core strategy for users it has no segment for. At most one add-on may set it.
   */
  readonly segmentationStrategy?: string;
  /**
   * Sink types the add-on's module registers (`@RegisterSignalSink()`), so entries of
   * `ai.behavior.sinks` may name them; their settings are checked when the module starts.
   */
  readonly signalSinkTypes?: readonly string[];
  /** `BehaviorAnomalyRule` names to run; the `anomaly-detection` task exists only when some add-on lists one. */
  readonly anomalyRules?: readonly string[];
  /** Seams the add-on replaces; the host's own `seams` option wins, and two add-ons may not replace the same one. */
  readonly seams?: BehaviorSeams;
}

/** When the `anomaly-detection` catch-up runs, and how many signals one rule looks at per transaction. */
export interface BehaviorAlertSettings {
  readonly schedule: string;
  readonly batchSize: number;
}

export interface BehaviorCoreModuleOptions extends BehaviorCoreOptions {
  readonly addOns?: readonly BehaviorAddOn[];
  /** Overrides `settings.alerts`. */
  readonly alerts?: Partial<BehaviorAlertSettings>;
  /** Replacements for core's signal store, data provider and job runner. */
  readonly seams?: BehaviorSeams;
  /** Where the default job runner finds Redis (BullMQ); null or absent = in-process unless forced. */
  readonly redisUrl?: string | null;
}
