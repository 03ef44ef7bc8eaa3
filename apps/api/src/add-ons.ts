import type { BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { commerceAddOn } from '@lssm/behavior-commerce';

/**
 * The add-ons this service knows, each switched on with `ai.behavior.addOns.<name>.enabled`.
 * The one place an add-on is listed: configuration, migrations and modules all follow from it.
 * Another host (or a test) passes its own list to loadConfig and createApp.
 */
export const DEFAULT_ADD_ONS: readonly BehaviorAddOnDefinition<any>[] = [commerceAddOn];
