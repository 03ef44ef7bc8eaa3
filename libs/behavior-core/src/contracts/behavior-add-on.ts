import type { DynamicModule, Type } from '@nestjs/common';
import type { BehaviorCoreOptions } from './behavior-core-options.js';

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
  /** `BehaviorAnomalyRule` names to run; the `anomaly-detection` task exists only when some add-on lists one. */
  readonly anomalyRules?: readonly string[];
}

/** The `anomaly-detection` task: when it runs and how many signals one transaction scans. */
export interface BehaviorAlertSettings {
  readonly schedule: string;
  readonly batchSize: number;
}

export interface BehaviorCoreModuleOptions extends BehaviorCoreOptions {
  readonly addOns?: readonly BehaviorAddOn[];
  readonly alerts?: Partial<BehaviorAlertSettings>;
}
