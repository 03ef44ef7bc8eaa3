import { existsSync, statSync } from 'node:fs';
import type { SchemaProblem, SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { lintSchemaDefinition } from './schema-definition.linter.js';
import { listSchemaFiles, readSchemaFile, type ParsedSchemaFile } from './schema-file.loader.js';
import { schemaKey } from './schema-naming.rules.js';

export interface SchemaOrigin {
  readonly file: string;
  readonly line?: number;
}

export interface SchemaLintResult {
  /** Every problem found; empty means every definition is usable. */
  readonly problems: readonly SchemaProblem[];
  /** The definitions without problems, normalized (defaults filled in) and frozen. */
  readonly definitions: readonly SignalSchemaDefinition[];
  /** Files read, in the order they were linted. */
  readonly files: readonly string[];
  /** Where each definition came from, keyed `id@version`. */
  readonly origins: ReadonlyMap<string, SchemaOrigin>;
}

/**
 * Lints every schema file under one or more directories (an add-on ships its
 * schemas in its own package directory). Duplicate (id, version) pairs across
 * all of them are problems.
 */
export function lintSchemaDirectory(dirs: string | readonly string[]): SchemaLintResult {
  const results: SchemaLintResult[] = [];
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      results.push(
        emptyResult([
          { file: dir, code: 'directory_missing', message: `schema directory not found: ${dir}` },
        ]),
      );
      continue;
    }
    for (const file of listSchemaFiles(dir)) results.push(lintParsedFile(readSchemaFile(file)));
  }
  return mergeDefinitions(...results);
}

/** Lints definitions given as data (a list, like one YAML file) — for add-ons that declare schemas in code. */
export function lintSchemaDefinitions(input: unknown, origin: string): SchemaLintResult {
  return lintParsedFile({ file: origin, value: input, problems: [], lineOf: () => undefined });
}

export function lintParsedFile(parsed: ParsedSchemaFile): SchemaLintResult {
  const { file } = parsed;
  if (parsed.problems.length > 0) return { ...emptyResult(parsed.problems), files: [file] };
  // An empty file declares nothing; that is allowed so a file can be stubbed out.
  if (parsed.value === null || parsed.value === undefined) return { ...emptyResult([]), files: [file] };
  if (!Array.isArray(parsed.value)) {
    return {
      ...emptyResult([
        {
          file,
          line: parsed.lineOf([]),
          code: 'not_a_list',
          message: 'a schema file must be a YAML list of definitions',
        },
      ]),
      files: [file],
    };
  }
  const problems: SchemaProblem[] = [];
  const definitions: SignalSchemaDefinition[] = [];
  const origins = new Map<string, SchemaOrigin>();
  parsed.value.forEach((raw, index) => {
    const result = lintSchemaDefinition(raw, { raw: [index], field: '' });
    for (const finding of result.findings) {
      problems.push({
        file,
        ...(result.id !== undefined ? { definitionId: result.id } : {}),
        ...(result.version !== undefined ? { version: result.version } : {}),
        ...(finding.scope.field ? { field: finding.scope.field } : {}),
        ...lineProperty(parsed.lineOf(finding.scope.raw)),
        code: finding.code,
        message: finding.message,
      });
    }
    if (result.definition) {
      const { id, version } = result.definition;
      const key = schemaKey(id, version);
      const origin = { file, ...lineProperty(parsed.lineOf([index])) };
      const first = origins.get(key);
      if (first) {
        problems.push(duplicateProblem(result.definition, origin, first));
        return;
      }
      origins.set(key, origin);
      definitions.push(result.definition);
    }
  });
  return { problems, definitions, files: [file], origins };
}

/**
 * Combines lint results from several sources (directories, files, add-ons).
 * A second definition with an (id, version) already seen is a problem and is dropped.
 */
export function mergeDefinitions(...results: readonly SchemaLintResult[]): SchemaLintResult {
  const problems: SchemaProblem[] = [];
  const definitions: SignalSchemaDefinition[] = [];
  const files: string[] = [];
  const origins = new Map<string, SchemaOrigin>();
  for (const result of results) {
    problems.push(...result.problems);
    files.push(...result.files);
    for (const definition of result.definitions) {
      const key = schemaKey(definition.id, definition.version);
      const origin = result.origins.get(key) ?? { file: result.files[0] ?? 'unknown' };
      const first = origins.get(key);
      if (first) {
        problems.push(duplicateProblem(definition, origin, first));
        continue;
      }
      origins.set(key, origin);
      definitions.push(definition);
    }
  }
  return { problems, definitions, files, origins };
}

function duplicateProblem(
  definition: SignalSchemaDefinition,
  origin: SchemaOrigin,
  first: SchemaOrigin,
): SchemaProblem {
  return {
    file: origin.file,
    definitionId: definition.id,
    version: definition.version,
    field: 'version',
    ...lineProperty(origin.line),
    code: 'duplicate_definition',
    message: `${schemaKey(definition.id, definition.version)} is already defined in ${formatOrigin(first)}`,
  };
}

export function formatOrigin(origin: SchemaOrigin): string {
  return origin.line !== undefined ? `${origin.file}:${origin.line}` : origin.file;
}

function emptyResult(problems: readonly SchemaProblem[]): SchemaLintResult {
  return { problems, definitions: [], files: [], origins: new Map() };
}

function lineProperty(line: number | undefined): { line?: number } {
  return line !== undefined ? { line } : {};
}
