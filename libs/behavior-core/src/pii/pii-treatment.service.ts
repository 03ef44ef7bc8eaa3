import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { schemaKey } from '../schema/schema-naming.rules.js';
import { PiiValueCipher, type PiiKeySettings } from './pii-value.cipher.js';
import { DROP, isSensitivePath, rewriteSensitive, sensitivePlan } from './sensitive-path.plan.js';

export const MASKED_VALUE = '***';

/**
 * Applies each schema's sensitive-attribute treatments at ingestion (after validation, before
 * the store, so PostgreSQL and every sink only see treated values) and masks sensitive values
 * in what is kept about rejected signals.
 */
export class PiiTreatmentService {
  readonly cipher: PiiValueCipher;

  constructor(settings: PiiKeySettings) {
    this.cipher = new PiiValueCipher(settings);
  }

  /**
   * The treatments each definition needs and the keys they lack, one line per gap; start-up
   * stops on any rather than failing the first signal.
   */
  missingKeys(definitions: readonly SignalSchemaDefinition[]): string[] {
    const gaps: string[] = [];
    for (const definition of definitions) {
      for (const treatment of sensitivePlan(definition)?.treatments ?? []) {
        const missing = this.cipher.missingKeyFor(treatment);
        if (missing)
          gaps.push(
            `schema ${schemaKey(definition.id, definition.version)} marks attributes "sensitive: ${treatment}" but ${missing}`,
          );
      }
    }
    return gaps;
  }

  /** The attributes to store: the input itself when the schema has no sensitive attribute. */
  treat(
    tenantId: string,
    definition: SignalSchemaDefinition,
    attributes: Record<string, unknown>,
  ): Record<string, unknown> {
    const plan = sensitivePlan(definition);
    if (!plan) return attributes;
    return rewriteSensitive(attributes, plan, (value, treatment) => {
      if (treatment === 'drop') return DROP;
      if (treatment === 'hash') return this.cipher.hash(tenantId, value);
      return this.cipher.encrypt(tenantId, value);
    });
  }

  /** `attributes` with every sensitive value replaced by "***" (anything that is not a mapping is returned as is). */
  mask(definition: SignalSchemaDefinition, attributes: unknown): unknown {
    const plan = sensitivePlan(definition);
    if (!plan || typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
      return attributes;
    return rewriteSensitive(attributes as Record<string, unknown>, plan, () => MASKED_VALUE);
  }

  /** Whether a (failed-signal) payload's attributes had sensitive values masked: replaying it would store "***". */
  carriesMaskedValue(definition: SignalSchemaDefinition, attributes: unknown): boolean {
    const plan = sensitivePlan(definition);
    if (!plan || typeof attributes !== 'object' || attributes === null || Array.isArray(attributes))
      return false;
    let masked = false;
    rewriteSensitive(attributes as Record<string, unknown>, plan, (value) => {
      if (value === MASKED_VALUE) masked = true;
      return value;
    });
    return masked;
  }

  /** Whether a validation error at `path` concerns a sensitive value (its message may echo it). */
  isSensitive(definition: SignalSchemaDefinition, path: string): boolean {
    const plan = sensitivePlan(definition);
    return plan !== null && isSensitivePath(plan, path);
  }
}
