import type { BehaviorAddOn } from '@lssm/behavior-core';
import { BehaviorCommerceModule } from '@lssm/behavior-commerce';
import type { AppConfig } from './app-config.js';

/** The add-ons switched on in YAML; the core imports their modules and switches their parts on. */
export function enabledAddOns(config: AppConfig): BehaviorAddOn[] {
  const addOns: BehaviorAddOn[] = [];
  const { enabled, ...commerce } = config.ai.behavior.addOns.commerce;
  if (enabled) addOns.push(BehaviorCommerceModule.addOn(commerce));
  return addOns;
}
