import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import {
  configuredSinkProblems,
  extensionNameProblems,
  knownExtensionNames,
  type BehaviorAddOnDefinition,
  type ExtensionNameSource,
} from '@lssm/behavior-core';
import { DEFAULT_ADD_ONS } from '../add-ons.js';
import { addOnDefaults } from './add-ons.schema.js';
import type { AppConfig } from './app-config.js';
import { configSchema } from './config.schema.js';
import { enabledAddOnDefinitions, enabledAddOns } from './enabled-add-ons.js';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** Directory holding config/default.yaml; the process cwd by default. */
  rootDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Merged after the BEHAVIOR_CONFIG file and before the environment (tests). */
  overrides?: unknown;
  /**
   * Extension names the host registers with its own Nest providers (beside core's and the
   * add-ons'), so configuring them is not refused as a typo.
   */
  hostExtensions?: ExtensionNameSource;
  /** The add-ons the host lists (DEFAULT_ADD_ONS unless given); each one's options join the schema. */
  addOns?: readonly BehaviorAddOnDefinition<any>[];
}

/** Keys that once existed, with what replaced them: more use to whoever set them than "unknown key". */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
  'ai.behavior.sink':
    'replaced by ai.behavior.sinks, a list of { name, type, ...settings } (docs/sinks.md); PostgreSQL is always the signal store',
};

const validators = new WeakMap<readonly BehaviorAddOnDefinition<any>[], ValidateFunction>();

function validatorFor(addOns: readonly BehaviorAddOnDefinition<any>[]): ValidateFunction {
  let validate = validators.get(addOns);
  if (!validate) {
    const names = addOns.map((a) => a.name);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice) throw new Error(`Add-on "${twice}" is listed twice`);
    validate = new Ajv({ allErrors: true, strict: true }).compile(configSchema(addOns));
    validators.set(addOns, validate);
  }
  return validate;
}

/** default.yaml ← BEHAVIOR_CONFIG file ← overrides ← environment; validated and frozen. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const rootDir = options.rootDir ?? process.cwd();
  const env = options.env ?? process.env;
  const addOns = options.addOns ?? DEFAULT_ADD_ONS;
  const validate = validatorFor(addOns);
  let tree = deepMerge(addOnDefaults(addOns), readYaml(resolve(rootDir, 'config/default.yaml')));
  if (env.BEHAVIOR_CONFIG) tree = deepMerge(tree, readYaml(resolve(rootDir, env.BEHAVIOR_CONFIG)));
  if (options.overrides !== undefined) tree = deepMerge(tree, options.overrides);
  tree = deepMerge(tree, fromEnvironment(env));
  if (!validate(tree)) {
    throw new ConfigError(
      (validate.errors ?? []).map((e) => {
        const path = e.instancePath.slice(1).replaceAll('/', '.');
        const key =
          e.keyword === 'additionalProperties'
            ? `${path ? `${path}.` : ''}${String(e.params.additionalProperty)}`
            : path;
        const reason =
          e.keyword === 'additionalProperties'
            ? (RETIRED_KEYS[key] ?? 'unknown key')
            : e.keyword === 'enum'
              ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
              : e.message;
        return `${key || '(root)'}: ${reason}`;
      }),
    );
  }
  const { poolSize, ingestReserved } = (tree as unknown as AppConfig).database;
  if (ingestReserved >= poolSize) {
    throw new ConfigError([
      `database.ingestReserved: ${ingestReserved} must be below database.poolSize (${poolSize}), or nothing is left for reads and jobs`,
    ]);
  }
  const { leaseTtlMs, leaseRenewMs } = (tree as unknown as AppConfig).ai.behavior.stream;
  if (leaseRenewMs * 2 > leaseTtlMs) {
    throw new ConfigError([
      `ai.behavior.stream.leaseRenewMs: ${leaseRenewMs} must be at most half of leaseTtlMs (${leaseTtlMs}), or a live worker's leases lapse between renewals`,
    ]);
  }
  const addOnProblems = addOnOptionProblems(tree as unknown as AppConfig, addOns);
  if (addOnProblems.length > 0) throw new ConfigError(addOnProblems);
  const nameProblems = configuredNameProblems(tree as unknown as AppConfig, addOns, options.hostExtensions);
  if (nameProblems.length > 0) throw new ConfigError(nameProblems);
  return deepFreeze(tree) as unknown as AppConfig;
}

/** Projector, strategy and sink type names (and core sinks' settings) checked against core's and the enabled add-ons' before anything starts. */
function configuredNameProblems(
  config: AppConfig,
  addOns: readonly BehaviorAddOnDefinition<any>[],
  host?: ExtensionNameSource,
): string[] {
  const sources: ExtensionNameSource[] = [...enabledAddOns(config, addOns), ...(host ? [host] : [])];
  const problems = extensionNameProblems(config.ai.behavior, sources);
  problems.push(...configuredSinkProblems(config.ai.behavior.sinks, sources, { redisUrl: config.redis.url }));
  const embeddings = config.ai.behavior.embeddings;
  if (embeddings.provider === 'openai-compatible' && !embeddings.openaiCompatible.baseUrl) {
    // The provider would fail every batch; say so before anything starts.
    problems.push(
      'ai.behavior.embeddings.openaiCompatible.baseUrl: required by provider openai-compatible (e.g. https://api.openai.com)',
    );
  }
  const known = knownExtensionNames(sources);
  for (const { definition, options } of enabledAddOnDefinitions(config, addOns)) {
    for (const problem of definition.extensionNameProblems?.(options, known) ?? [])
      problems.push(`ai.behavior.addOns.${definition.name}.${problem}`);
  }
  return problems;
}

/** What an add-on's JSON Schema cannot say (bounds in order, a real time zone), checked enabled or not. */
function addOnOptionProblems(config: AppConfig, addOns: readonly BehaviorAddOnDefinition<any>[]): string[] {
  return addOns.flatMap((definition) => {
    const { enabled: _enabled, ...options } = config.ai.behavior.addOns[definition.name];
    return (definition.optionProblems?.(options) ?? []).map(
      (p) => `ai.behavior.addOns.${definition.name}.${p}`,
    );
  });
}

function readYaml(file: string): unknown {
  if (!existsSync(file)) throw new ConfigError([`${file}: file not found`]);
  try {
    return parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new ConfigError([`${file}: ${(error as Error).message}`]);
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, any> = {};
  const set = (path: string[], value: unknown) => {
    let node = out;
    for (const key of path.slice(0, -1)) node = node[key] ??= {};
    node[path[path.length - 1]] = value;
  };
  if (env.PORT !== undefined) set(['server', 'port'], Number(env.PORT));
  if (env.HOST) set(['server', 'host'], env.HOST);
  if (env.LOG_LEVEL) set(['server', 'logLevel'], env.LOG_LEVEL);
  if (env.METRICS_PORT !== undefined) set(['server', 'metricsPort'], Number(env.METRICS_PORT));
  if (env.DATABASE_URL) set(['database', 'url'], env.DATABASE_URL);
  if (env.REDIS_URL) set(['redis', 'url'], env.REDIS_URL);
  if (env.BEHAVIOR_DATA_DIR) set(['dataDir'], env.BEHAVIOR_DATA_DIR);
  if (env.BEHAVIOR_ADMIN_KEY) set(['admin', 'key'], env.BEHAVIOR_ADMIN_KEY);
  if (env.BEHAVIOR_OVERLAY_KEK) set(['overlays', 'keyEncryptionKey'], env.BEHAVIOR_OVERLAY_KEK);
  if (env.BEHAVIOR_PII_HASH_SECRET)
    set(['ai', 'behavior', 'privacy', 'hashSecret'], env.BEHAVIOR_PII_HASH_SECRET);
  if (env.BEHAVIOR_EMBEDDINGS_API_KEY)
    set(['ai', 'behavior', 'embeddings', 'openaiCompatible', 'apiKey'], env.BEHAVIOR_EMBEDDINGS_API_KEY);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
