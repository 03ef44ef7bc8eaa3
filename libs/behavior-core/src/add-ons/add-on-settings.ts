import type { BehaviorAddOn, BehaviorCoreModuleOptions } from '../contracts/behavior-add-on.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import { schemaSources, type SchemaSource } from '../schema/schema-source.js';

export interface AddOnComposition {
  /** The options every core provider sees: the configured lists plus what the add-ons switch on. */
  readonly options: BehaviorCoreOptions;
  /** The layers the schema registry is built from: starter set, add-ons', configured. */
  readonly schemaSources: readonly SchemaSource[];
  readonly anomalyRules: readonly string[];
}

/**
 * Folds the enabled add-ons into the core options. Config order wins: an add-on's projector or
 * strategy already listed in config keeps its configured place; the others are appended in add-on order.
 */
export function composeAddOns(options: BehaviorCoreModuleOptions): AddOnComposition {
  const addOns = options.addOns ?? [];
  const names = new Set<string>();
  for (const addOn of addOns) {
    if (names.has(addOn.name)) throw new Error(`Add-on "${addOn.name}" is given twice`);
    names.add(addOn.name);
  }
  const segmenters = addOns.filter((a) => a.segmentationStrategy);
  if (segmenters.length > 1) {
    throw new Error(
      `Add-ons ${segmenters.map((a) => `"${a.name}"`).join(' and ')} both set the segmentation strategy; enable one`,
    );
  }
  const { settings } = options;
  const { addOns: _addOns, alerts: _alerts, seams: _seams, redisUrl: _redisUrl, ...core } = options;
  return {
    options: {
      ...core,
      settings: {
        ...settings,
        metrics: {
          ...settings.metrics,
          projectors: append(settings.metrics.projectors, addOns, (a) => a.metricProjectors),
        },
        insights: {
          ...settings.insights,
          strategies: append(settings.insights.strategies, addOns, (a) => a.insightStrategies),
        },
        segmentation: {
          ...settings.segmentation,
          strategy: segmenters[0]?.segmentationStrategy ?? settings.segmentation.strategy,
        },
      },
    },
    schemaSources: schemaSources(settings, addOns),
    anomalyRules: append([], addOns, (a) => a.anomalyRules),
  };
}

function append(
  configured: readonly string[],
  addOns: readonly BehaviorAddOn[],
  pick: (addOn: BehaviorAddOn) => readonly string[] | undefined,
): string[] {
  const out = [...configured];
  for (const addOn of addOns) for (const name of pick(addOn) ?? []) if (!out.includes(name)) out.push(name);
  return out;
}
