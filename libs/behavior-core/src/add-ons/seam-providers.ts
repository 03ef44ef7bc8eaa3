import type { Provider } from '@nestjs/common';
import type { BehaviorAddOn, BehaviorSeamProvider, BehaviorSeams } from '../contracts/behavior-add-on.js';

/**
 * Each seam's provider: the host's replacement, else an add-on's, else core's default. Two add-ons
 * replacing the same seam is a start-up error, since neither would know the other's signals went elsewhere.
 */
export function seamProviders(
  defaults: { readonly [K in keyof Required<BehaviorSeams>]: BehaviorSeamProvider<unknown> },
  tokens: { readonly [K in keyof Required<BehaviorSeams>]: symbol },
  host: BehaviorSeams = {},
  addOns: readonly BehaviorAddOn[] = [],
): Provider[] {
  return (Object.keys(tokens) as (keyof BehaviorSeams)[]).map((seam) => {
    const replacing = addOns.filter((a) => a.seams?.[seam]);
    if (!host[seam] && replacing.length > 1) {
      throw new Error(
        `Add-ons ${replacing.map((a) => `"${a.name}"`).join(' and ')} both replace the ${seam}; enable one or set it in the module options`,
      );
    }
    const chosen = host[seam] ?? replacing[0]?.seams?.[seam] ?? defaults[seam];
    return { provide: tokens[seam], ...chosen } as Provider;
  });
}
