import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type {
  SignalSinkServiceContext,
  SignalSinkSettingsSchema,
  SignalSinkTypeSpec,
} from '../contracts/behavior-signal-sink.js';
import { CORE_SIGNAL_SINK_TYPES } from './core-sink-types.js';

/** The keys every entry of `ai.behavior.sinks` may have, whatever its type. */
export const COMMON_SINK_KEYS = ['name', 'type', 'batchSize', 'failureWarningMs'] as const;

export const DEFAULT_SINK_BATCH_SIZE = 500;
export const DEFAULT_SINK_FAILURE_WARNING_MS = 60_000;

/** One entry of `ai.behavior.sinks`: the common keys, then the type's own settings. */
export interface SignalSinkEntry {
  readonly name: string;
  readonly type: string;
  readonly batchSize?: number;
  readonly failureWarningMs?: number;
  readonly [setting: string]: unknown;
}

/**
 * Sink types by name. A spec brings the schema its entries are checked against; null means the
 * type is known by name only (an add-on's or the host's, checked once its provider is discovered).
 */
export type KnownSinkTypes = ReadonlyMap<string, SignalSinkTypeSpec | null>;

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new WeakMap<SignalSinkSettingsSchema, ValidateFunction>();

/** An entry's own settings: everything but the common keys. */
export function sinkSettingsOf(entry: SignalSinkEntry): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (!(COMMON_SINK_KEYS as readonly string[]).includes(key)) settings[key] = value;
  }
  return settings;
}

/**
 * Everything wrong with the configured sinks, as `key.path: reason` (the configuration error
 * format): a name used twice, a type nothing registers, and each entry's settings checked against
 * its type's schema (unknown or missing keys, wrong values) and the type's own rules.
 */
export function sinkEntryProblems(
  entries: readonly SignalSinkEntry[],
  types: KnownSinkTypes,
  service: SignalSinkServiceContext,
  path = 'ai.behavior.sinks',
): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  entries.forEach((entry, i) => {
    const at = `${path}.${i}`;
    const first = names.get(entry.name);
    if (first !== undefined)
      problems.push(`${at}.name: "${entry.name}" is already the name of ${path}.${first}`);
    else names.set(entry.name, i);
    if (!types.has(entry.type)) {
      const known = [...types.keys()].sort();
      problems.push(`${at}.type: unknown sink type "${entry.type}"; known: ${known.join(', ') || 'none'}`);
      return;
    }
    const spec = types.get(entry.type);
    if (!spec) return;
    const settings = sinkSettingsOf(entry);
    const validate = validatorFor(spec.settingsSchema);
    if (!validate(settings)) {
      problems.push(...(validate.errors ?? []).map((e) => `${at}${settingProblem(e, entry.type)}`));
      return;
    }
    for (const problem of spec.settingsProblems?.(settings, service) ?? []) problems.push(`${at}.${problem}`);
  });
  return problems;
}

function validatorFor(schema: SignalSinkSettingsSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function settingProblem(e: ErrorObject, type: string): string {
  const path = e.instancePath.replaceAll('/', '.');
  switch (e.keyword) {
    case 'additionalProperties':
      return `${path}.${String(e.params.additionalProperty)}: unknown setting of sink type "${type}"`;
    case 'required':
      return `${path}.${String(e.params.missingProperty)}: required by sink type "${type}"`;
    case 'enum':
      return `${path}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${path}: ${e.message ?? e.keyword}`;
  }
}

/**
 * The configured sinks checked before anything starts: core's types with their schemas, and the
 * types enabled add-ons or the host declare by name (their settings are checked at start-up, once
 * their providers are discovered).
 */
export function configuredSinkProblems(
  entries: readonly SignalSinkEntry[],
  sources: readonly { readonly signalSinkTypes?: readonly string[] }[],
  service: SignalSinkServiceContext,
): string[] {
  const types = new Map<string, SignalSinkTypeSpec | null>(CORE_SIGNAL_SINK_TYPES.map((t) => [t.type, t]));
  for (const source of sources) {
    for (const type of source.signalSinkTypes ?? []) if (!types.has(type)) types.set(type, null);
  }
  return sinkEntryProblems(entries, types, service);
}
