import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  formatSchemaProblem,
  freeTextPiiFindings,
  lintSchemaDirectory,
  schemaKey,
  schemaSources,
  toJsonSchema,
} from '@lssm/behavior-core';
import { enabledAddOns } from '../config/enabled-add-ons.js';
import { loadConfig } from '../config/load-config.js';

const USAGE = `Usage: npm run schema-doctor [-- [--dir DIR ...] [--out DIR]]
  Lints the schema layers the service loads (the starter set, each enabled add-on's
  directories and ai.behavior.schemas.path), or only each --dir given,
  prints each problem (file, definition id, field, reason) and exits 1 when there is any.
  Warnings (free-text attributes in a schema with pii: none) are printed and do not fail.
  --out DIR  also writes one JSON Schema per definition as DIR/<id>.v<version>.json`;

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dir: { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The configuration is only read when no directory is given, so the doctor also
  // works on schema files outside a configured checkout.
  const dirs = values.dir?.length
    ? values.dir.map((d) => resolve(d))
    : configuredSchemaSources().map((source) => source.dir);
  const result = lintSchemaDirectory(dirs);
  if (result.problems.length > 0) {
    for (const problem of result.problems) process.stderr.write(`${formatSchemaProblem(problem)}\n`);
    process.stderr.write(
      `\n${result.problems.length} schema problem${result.problems.length === 1 ? '' : 's'} in ${dirs.join(', ')}\n`,
    );
    return 1;
  }
  // Advice, not problems: the service starts with these schemas, the doctor only points them out.
  const advice = freeTextPiiFindings(
    result.definitions,
    (definition) => result.origins.get(schemaKey(definition.id, definition.version)) ?? { file: 'unknown' },
  );
  for (const finding of advice) process.stderr.write(`warning: ${formatSchemaProblem(finding)}\n`);
  process.stdout.write(
    `${result.definitions.length} definitions in ${result.files.length} files: OK${advice.length > 0 ? ` with ${advice.length} warning${advice.length === 1 ? '' : 's'}` : ''} (${dirs.join(', ')})\n`,
  );
  if (values.out) {
    // Written only when every definition is sound, so the output is always a consistent set.
    const out = resolve(values.out);
    mkdirSync(out, { recursive: true });
    for (const definition of result.definitions) {
      const file = join(out, `${definition.id}.v${definition.version}.json`);
      writeFileSync(file, `${JSON.stringify(toJsonSchema(definition), null, 2)}\n`);
    }
    process.stdout.write(`wrote ${result.definitions.length} JSON Schemas to ${out}\n`);
  }
  return 0;
}

/** The same layers, in the same order, as the service builds its registry from. */
function configuredSchemaSources() {
  const config = loadConfig();
  return schemaSources(config.ai.behavior, enabledAddOns(config));
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
