import { lintSchemaDirectory, mergeDefinitions, type SchemaLintResult } from './schema-doctor.js';
import { SchemaRegistry } from './schema-registry.js';

/**
 * Start-up entry point: lints every schema file under `dirs` (the configured
 * path plus any add-on schema directories), merges definitions contributed in
 * code, and compiles the registry. Throws SchemaLoadError listing every
 * problem, so a broken schema file stops start-up instead of rejecting signals later.
 */
export function loadSchemaRegistry(
  dirs: string | readonly string[],
  contributions: readonly SchemaLintResult[] = [],
): SchemaRegistry {
  return SchemaRegistry.fromLintResult(mergeDefinitions(lintSchemaDirectory(dirs), ...contributions));
}
