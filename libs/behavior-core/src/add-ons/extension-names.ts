import type { BehaviorAddOn } from '../contracts/behavior-add-on.js';
import type { BehaviorSettings } from '../contracts/behavior-core-options.js';
import { CORE_SIGNAL_SINK_TYPES } from '../sinks/core-sink-types.js';

/** The names a configuration may use for extensions, by kind. */
export interface KnownExtensionNames {
  readonly metricProjectors: readonly string[];
  readonly insightStrategies: readonly string[];
  readonly segmentationStrategies: readonly string[];
  readonly signalSinkTypes: readonly string[];
}

/**
 * The extensions core registers itself. Kept as data so a host can check configured names
 * before anything starts; the registries check the same names again against what is discovered.
 */
export const CORE_EXTENSION_NAMES: KnownExtensionNames = {
  metricProjectors: ['engagement'],
  insightStrategies: ['engagement'],
  segmentationStrategies: ['threshold'],
  signalSinkTypes: CORE_SIGNAL_SINK_TYPES.map((t) => t.type),
};

/** Whatever contributes extension names: an enabled add-on, or a host app's own providers. */
export type ExtensionNameSource = Pick<
  BehaviorAddOn,
  'metricProjectors' | 'insightStrategies' | 'segmentationStrategy' | 'signalSinkTypes'
>;

/** Core's names plus what each enabled add-on (or the host app) contributes. */
export function knownExtensionNames(addOns: readonly ExtensionNameSource[]): KnownExtensionNames {
  const merge = (
    core: readonly string[],
    pick: (a: ExtensionNameSource) => readonly string[] | undefined,
  ) => [...new Set([...core, ...addOns.flatMap((a) => pick(a) ?? [])])];
  return {
    metricProjectors: merge(CORE_EXTENSION_NAMES.metricProjectors, (a) => a.metricProjectors),
    insightStrategies: merge(CORE_EXTENSION_NAMES.insightStrategies, (a) => a.insightStrategies),
    segmentationStrategies: merge(CORE_EXTENSION_NAMES.segmentationStrategies, (a) =>
      a.segmentationStrategy ? [a.segmentationStrategy] : [],
    ),
    signalSinkTypes: merge(CORE_EXTENSION_NAMES.signalSinkTypes, (a) => a.signalSinkTypes),
  };
}

/**
 * Every configured projector, insight strategy and segmentation strategy name that nothing
 * registers, as `key.path: reason` (the configuration error format), so a typo stops start-up
 * with the rest of the configuration instead of after the database started.
 */
export function extensionNameProblems(
  settings: Pick<BehaviorSettings, 'metrics' | 'insights' | 'segmentation'>,
  addOns: readonly ExtensionNameSource[],
): string[] {
  const known = knownExtensionNames(addOns);
  const problems: string[] = [];
  const check = (path: string, name: string, kind: string, names: readonly string[]) => {
    if (!names.includes(name))
      problems.push(`${path}: unknown ${kind} "${name}"; known: ${names.join(', ')}`);
  };
  settings.metrics.projectors.forEach((name, i) =>
    check(`ai.behavior.metrics.projectors.${i}`, name, 'metric projector', known.metricProjectors),
  );
  settings.insights.strategies.forEach((name, i) =>
    check(`ai.behavior.insights.strategies.${i}`, name, 'insight strategy', known.insightStrategies),
  );
  check(
    'ai.behavior.segmentation.strategy',
    settings.segmentation.strategy,
    'segmentation strategy',
    known.segmentationStrategies,
  );
  return problems;
}
