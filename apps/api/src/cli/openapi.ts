import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module.js';
import { EX_CONFIG, loadConfigOrExitCode } from '../config/config-or-exit-code.js';
import { buildOpenApiDocument } from '../http/openapi-document.js';
import type { Telemetry } from '../observability/telemetry.js';

const USAGE = `Usage: npm run openapi [-- --out FILE]
  Writes the OpenAPI document the service serves at /docs-json (default file: openapi.json).
  Needs no database: the document comes from the modules' metadata, nothing is connected.`;

// Never used: in preview mode Nest resolves the module graph and reads controller metadata without
// creating a single provider, so no pool, ORM, Redis client or telemetry SDK exists.
const UNUSED_DATABASE_URL = 'postgres://openapi.invalid/unused';
const UNUSED_TELEMETRY = {} as Telemetry;

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
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: UNUSED_DATABASE_URL, telemetry: UNUSED_TELEMETRY }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  const document = buildOpenApiDocument(app);
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
