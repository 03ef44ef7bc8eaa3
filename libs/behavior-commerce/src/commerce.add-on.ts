import type { BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { BehaviorCommerceModule } from './behavior-commerce.module.js';
import type { CommerceOptionsInput } from './contracts/commerce-options.js';
import { COMMERCE_OPTIONS_JSON_SCHEMA } from './options/commerce-options.schema.js';
import { CommerceOptionsError, resolveCommerceOptions } from './options/commerce-options.resolver.js';

/** The commerce add-on as a host lists it (YAML: `ai.behavior.addOns.commerce`). */
export const commerceAddOn: BehaviorAddOnDefinition<CommerceOptionsInput> = {
  name: 'commerce',
  optionsSchema: COMMERCE_OPTIONS_JSON_SCHEMA,
  optionProblems(options) {
    try {
      resolveCommerceOptions(options);
      return [];
    } catch (error) {
      if (!(error instanceof CommerceOptionsError)) throw error;
      return [...error.problems];
    }
  },
  extensionNameProblems(options, known) {
    const fallback = options.segmentation?.fallback;
    if (fallback === undefined) return [];
    // The commerce strategy falls back to another one for users it has no segment for.
    const others = known.segmentationStrategies.filter((n) => n !== 'commerce');
    return others.includes(fallback)
      ? []
      : [`segmentation.fallback: unknown segmentation strategy "${fallback}"; known: ${others.join(', ')}`];
  },
  create: (options) => BehaviorCommerceModule.addOn(options),
};
