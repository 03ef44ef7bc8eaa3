import { Ajv } from 'ajv';
import type { CommerceOptions, CommerceOptionsInput } from '../contracts/commerce-options.js';
import { DEFAULT_COMMERCE_OPTIONS } from './commerce-options.defaults.js';
import { COMMERCE_OPTIONS_JSON_SCHEMA } from './commerce-options.schema.js';

/** Options that cannot be used, each as `path: reason` (paths relative to the commerce options). */
export class CommerceOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid commerce add-on options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CommerceOptionsError';
  }
}

let validate: ReturnType<Ajv['compile']> | undefined;

/** Validates `input` (schema, then the rules between keys) and fills in the defaults; throws CommerceOptionsError. */
export function resolveCommerceOptions(input: CommerceOptionsInput = {}): CommerceOptions {
  validate ??= new Ajv({ allErrors: true, strict: true }).compile(COMMERCE_OPTIONS_JSON_SCHEMA);
  if (!validate(input)) {
    throw new CommerceOptionsError(
      (validate.errors ?? []).map((e) => {
        const path = e.instancePath.slice(1).replaceAll('/', '.');
        if (e.keyword === 'additionalProperties') {
          return `${path ? `${path}.` : ''}${String(e.params.additionalProperty)}: unknown key`;
        }
        return `${path || '(root)'}: ${e.message}`;
      }),
    );
  }
  const options = mergeDefaults(DEFAULT_COMMERCE_OPTIONS, input) as CommerceOptions;
  const problems = commerceOptionProblems(options);
  if (problems.length > 0) throw new CommerceOptionsError(problems);
  return options;
}

/**
 * The rules a JSON Schema cannot say (order of bounds, a real time zone, weights that add up to
 * something). The app runs this after its own schema check, prefixing the YAML path.
 */
export function commerceOptionProblems(options: CommerceOptions): string[] {
  const problems: string[] = [];
  const { budget, midRange, premium } = options.priceRanges;
  if (!(budget < midRange)) problems.push('priceRanges.midRange: must be greater than priceRanges.budget');
  if (!(midRange < premium)) problems.push('priceRanges.premium: must be greater than priceRanges.midRange');
  const evening = options.thresholds.eveningShopper;
  if (evening.startHour === evening.endHour) {
    problems.push('thresholds.eveningShopper.endHour: must differ from startHour');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: evening.timeZone });
  } catch {
    problems.push(`thresholds.eveningShopper.timeZone: "${evening.timeZone}" is not an IANA time zone`);
  }
  const conversion = options.weights.conversion;
  if (conversion.history + conversion.openCart + conversion.checkout + conversion.recency <= 0) {
    problems.push('weights.conversion: at least one weight must be above 0');
  }
  const categories = options.weights.categories;
  if (categories.view + categories.cartAdd + categories.purchase <= 0) {
    problems.push('weights.categories: at least one weight must be above 0');
  }
  const own = options.exchangeRates[options.currency];
  if (own !== undefined && own !== 1) {
    problems.push(`exchangeRates.${options.currency}: the base currency's rate is 1`);
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else replaces. */
function mergeDefaults(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeDefaults(base[key], value);
  return out;
}
