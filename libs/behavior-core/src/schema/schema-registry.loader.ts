import { lintSchemaDirectory, mergeDefinitions, type SchemaLintResult } from './schema-doctor.js';
import { SchemaRegistry } from './schema-registry.js';
import type { SchemaSource } from './schema-source.js';
import { schemaKey } from './schema-naming.rules.js';

/**
 * Start-up entry point: lints every schema file of every source (starter set, add-ons', the
 * configured directories), merges definitions contributed in code, and compiles the registry.
 * Throws SchemaLoadError listing every problem, so a broken or duplicated schema stops start-up
 * instead of rejecting signals later. `options.log` gets one line per source naming what it loaded, so an
 * operator can tell which layer a schema came from.
 */
export function loadSchemaRegistry(
  sources: string | readonly (string | SchemaSource)[],
  options: {
    readonly log?: (message: string) => void;
    /** Definitions declared in code (lint results of `lintSchemaDefinitions`). */
    readonly contributions?: readonly SchemaLintResult[];
  } = {},
): SchemaRegistry {
  const { log, contributions = [] } = options;
  const list = (typeof sources === 'string' ? [sources] : sources).map((s) =>
    typeof s === 'string' ? { origin: 'directory', dir: s } : s,
  );
  const results = list.map((source) => lintSchemaDirectory(source.dir));
  const registry = SchemaRegistry.fromLintResult(mergeDefinitions(...results, ...contributions));
  if (log) {
    list.forEach((source, i) => {
      const keys = results[i]!.definitions.map((d) => schemaKey(d.id, d.version));
      log(
        `${keys.length} schema${keys.length === 1 ? '' : 's'} from ${source.origin} (${source.dir})${keys.length ? `: ${keys.join(', ')}` : ''}`,
      );
    });
  }
  return registry;
}
