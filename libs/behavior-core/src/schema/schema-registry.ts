import type { ValidateFunction } from 'ajv/dist/2020.js';
import type {
  SchemaListFilter,
  SchemaProblem,
  SignalSchemaDefinition,
  SignalValidationResult,
} from '../contracts/signal-schema.js';
import { mapAjvErrors } from './ajv-error.mapper.js';
import type { JsonSchemaObject } from './attribute-json-schema.mapper.js';
import { toJsonSchema } from './definition-json-schema.mapper.js';
import { findForbiddenKeys } from './forbidden-key.guard.js';
import { createSchemaAjv } from './schema-ajv.factory.js';
import { lintSchemaDefinitions, type SchemaLintResult } from './schema-doctor.js';
import { SchemaLoadError } from './schema-load.error.js';
import { schemaKey } from './schema-naming.rules.js';

interface CompiledSchema {
  readonly definition: SignalSchemaDefinition;
  readonly jsonSchema: JsonSchemaObject;
  /** Stops at the first error: cheap on any input. */
  readonly check: ValidateFunction;
  /** Collects every error; only run on items small enough for that to be cheap. */
  readonly explain: ValidateFunction;
  readonly label: string;
  /** Shared success result, so the hot path returns without allocating. */
  readonly accepted: SignalValidationResult;
}

interface SchemaVersions {
  readonly latest: CompiledSchema;
  readonly byVersion: ReadonlyMap<number, CompiledSchema>;
  /** Ascending. */
  readonly versions: readonly number[];
}

/**
 * Immutable set of validated schema definitions, each compiled once into an
 * Ajv validator. Lookups go through nested maps (id, then version) so a
 * validation call builds no key string.
 */
export class SchemaRegistry {
  private constructor(
    private readonly byId: ReadonlyMap<string, SchemaVersions>,
    private readonly ordered: readonly SignalSchemaDefinition[],
  ) {}

  /** Builds a registry from a lint result; throws SchemaLoadError listing every problem when there is any. */
  static fromLintResult(result: SchemaLintResult): SchemaRegistry {
    if (result.problems.length > 0) throw new SchemaLoadError(result.problems);
    const ajv = createSchemaAjv({ allErrors: false });
    const detailedAjv = createSchemaAjv({ allErrors: true });
    const problems: SchemaProblem[] = [];
    const compiled: CompiledSchema[] = [];
    for (const definition of result.definitions) {
      const label = schemaKey(definition.id, definition.version);
      const jsonSchema = toJsonSchema(definition);
      try {
        const check = ajv.compile(jsonSchema);
        compiled.push({
          definition,
          jsonSchema,
          check,
          explain: detailedAjv.compile(jsonSchema),
          label,
          accepted: Object.freeze({ ok: true, definition }),
        });
      } catch (error) {
        // The linter should make this unreachable; report rather than crash with an Ajv stack.
        problems.push({
          file: result.origins.get(label)?.file ?? 'unknown',
          definitionId: definition.id,
          version: definition.version,
          code: 'compile_failed',
          message: `JSON Schema compilation failed: ${(error as Error).message}`,
        });
      }
    }
    if (problems.length > 0) throw new SchemaLoadError(problems);
    return new SchemaRegistry(groupById(compiled), sortDefinitions(result.definitions));
  }

  /** Lints raw definitions (YAML-shaped objects from code or tests) and builds a registry from them. */
  static fromDefinitions(definitions: readonly unknown[], origin = 'inline'): SchemaRegistry {
    return SchemaRegistry.fromLintResult(lintSchemaDefinitions(definitions, origin));
  }

  get size(): number {
    return this.ordered.length;
  }

  /** The named version, or the latest when `version` is omitted. */
  get(id: string, version?: number): SignalSchemaDefinition | undefined {
    return this.resolve(id, version)?.definition;
  }

  has(id: string, version?: number): boolean {
    return this.resolve(id, version) !== undefined;
  }

  /** Sorted by id, then version; `version` filters on the exact version number. */
  list(filter: SchemaListFilter = {}): SignalSchemaDefinition[] {
    return this.ordered.filter(
      (definition) =>
        (filter.domain === undefined || definition.domain === filter.domain) &&
        (filter.version === undefined || definition.version === filter.version),
    );
  }

  /** Ascending version numbers of one id; empty when the id is unknown. */
  versions(id: string): number[] {
    return [...(this.byId.get(id)?.versions ?? [])];
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  /** The JSON Schema the validator was compiled from (the same object toJsonSchema returns). */
  jsonSchema(id: string, version?: number): JsonSchemaObject | undefined {
    return this.resolve(id, version)?.jsonSchema;
  }

  /**
   * Validates a signal's attributes against (schemaId, schemaVersion); the
   * latest version applies when schemaVersion is undefined. Error paths are
   * relative to the signal envelope (`schemaId`, `attributes.items[2].sku`).
   * With `detailed: false` a failing item reports its first error only, which keeps
   * the cost of a huge invalid item proportional to the first problem, not its size.
   */
  validate(
    schemaId: string,
    schemaVersion: number | undefined,
    attributes: unknown,
    options: { detailed?: boolean } = {},
  ): SignalValidationResult {
    const versions = this.byId.get(schemaId);
    if (versions === undefined) {
      return {
        ok: false,
        errors: [{ path: 'schemaId', code: 'unknown_schema', message: `unknown schema "${schemaId}"` }],
      };
    }
    const compiled = schemaVersion === undefined ? versions.latest : versions.byVersion.get(schemaVersion);
    if (compiled === undefined) {
      return {
        ok: false,
        errors: [
          {
            path: 'schemaVersion',
            code: 'unknown_version',
            message: `schema "${schemaId}" has no version ${String(schemaVersion)} (known: ${versions.versions.join(', ')})`,
          },
        ],
      };
    }
    // Checked before Ajv: a hostile key is reason enough, and Ajv's own errors would only add noise.
    const forbidden = findForbiddenKeys(attributes);
    if (forbidden !== undefined) return { ok: false, errors: forbidden, definition: compiled.definition };
    if (compiled.check(attributes)) return compiled.accepted;
    const detailed = (options.detailed ?? true) && !compiled.explain(attributes);
    const errors = (detailed ? compiled.explain.errors : compiled.check.errors) ?? [];
    return {
      ok: false,
      errors: mapAjvErrors(errors, attributes, compiled.label),
      definition: compiled.definition,
    };
  }

  private resolve(id: string, version?: number): CompiledSchema | undefined {
    const versions = this.byId.get(id);
    if (versions === undefined) return undefined;
    return version === undefined ? versions.latest : versions.byVersion.get(version);
  }
}

function groupById(compiled: readonly CompiledSchema[]): Map<string, SchemaVersions> {
  const grouped = new Map<string, Map<number, CompiledSchema>>();
  for (const entry of compiled) {
    const { id, version } = entry.definition;
    let byVersion = grouped.get(id);
    if (!byVersion) grouped.set(id, (byVersion = new Map()));
    byVersion.set(version, entry);
  }
  const result = new Map<string, SchemaVersions>();
  for (const [id, byVersion] of grouped) {
    const versions = [...byVersion.keys()].sort((a, b) => a - b);
    result.set(id, { latest: byVersion.get(versions[versions.length - 1]!)!, byVersion, versions });
  }
  return result;
}

function sortDefinitions(definitions: readonly SignalSchemaDefinition[]): SignalSchemaDefinition[] {
  return [...definitions].sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
}
