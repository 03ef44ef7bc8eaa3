import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EX_CONFIG, loadConfigOrExitCode } from '../config/config-or-exit-code.js';
import { previewOpenApiDocument } from '../http/openapi-preview.js';

const USAGE = `Usage: npm run openapi [-- --out FILE]
  Writes the OpenAPI document the service serves at /docs-json (default file: openapi.json).
  Needs no database: the document comes from the modules' metadata, nothing is connected.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfigOrExitCode({ overrides: { server: { logLevel: 'warn' } } });
  if (config === EX_CONFIG) return EX_CONFIG;
  const document = await previewOpenApiDocument(config);
  const out = resolve(values.out ?? 'openapi.json');
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`wrote ${out} (${Object.keys(document.paths).length} paths)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
