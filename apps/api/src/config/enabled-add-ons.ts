import type { MigrationObject } from '@mikro-orm/core';
import type { BehaviorAddOn, BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { DEFAULT_ADD_ONS } from '../add-ons.js';
import type { AppConfig } from './app-config.js';

/** The listed add-ons switched on in YAML, each with its options (without `enabled`). */
export function enabledAddOnDefinitions(
  config: AppConfig,
  addOns: readonly BehaviorAddOnDefinition<any>[] = DEFAULT_ADD_ONS,
): { definition: BehaviorAddOnDefinition<any>; options: Record<string, unknown> }[] {
  return addOns.flatMap((definition) => {
    const { enabled, ...options } = config.ai.behavior.addOns[definition.name] ?? { enabled: false };
    return enabled ? [{ definition, options }] : [];
  });
}

/** The enabled add-ons as core takes them; the core imports their modules and switches their parts on. */
export function enabledAddOns(
  config: AppConfig,
  addOns: readonly BehaviorAddOnDefinition<any>[] = DEFAULT_ADD_ONS,
): BehaviorAddOn[] {
  return enabledAddOnDefinitions(config, addOns).map(({ definition, options }) => definition.create(options));
}

/** The enabled add-ons' migrations, in list order, to run after the service's own. */
export function addOnMigrations(
  config: AppConfig,
  addOns: readonly BehaviorAddOnDefinition<any>[] = DEFAULT_ADD_ONS,
): MigrationObject[] {
  return enabledAddOnDefinitions(config, addOns).flatMap(({ definition }) => definition.migrations ?? []);
}
