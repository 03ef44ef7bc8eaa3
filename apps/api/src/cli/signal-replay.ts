import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { MetricReplayService } from '@lssm/behavior-core';
import { AppModule } from '../app.module.js';
import { EX_CONFIG, loadConfigOrExitCode } from '../config/config-or-exit-code.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { addOnMigrations } from '../config/enabled-add-ons.js';
import { runMigrations } from '../database/run-migrations.js';
import { createRootLogger, PinoNestLogger } from '../observability/pino-logger.js';
import { startTelemetry } from '../observability/telemetry.js';

const USAGE = `Usage: npm run signal-replay -- --tenant <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--projector <name>]
Rebuilds the tenant's metrics (all, or one projector's) from stored signals, up to the live
projection's checkpoint, in one transaction.`;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        tenant: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        projector: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.tenant) return fail('--tenant <id> is missing');
  for (const [name, d] of [
    ['--from', values.from],
    ['--to', values.to],
  ] as const) {
    if (d !== undefined && !DATE.test(d)) return fail(`${name} "${d}" is not a date (YYYY-MM-DD)`);
  }
  // Same modules as the service, in a context with no workers: the registries (projectors
  // by discovery, order from config) are exactly the ones live projection uses.
  const config = loadConfigOrExitCode({
    overrides: { server: { logLevel: 'warn' }, ai: { behavior: { processing: { role: 'api' } } } },
  });
  if (config === EX_CONFIG) return EX_CONFIG;
  const database = await openDatabaseUrl(config, (m) => process.stderr.write(`${m}\n`), 'cli');
  const logger = createRootLogger(config.server.logLevel);
  const telemetry = startTelemetry();
  try {
    if (config.database.autoMigrate) await runMigrations(database.url, addOnMigrations(config));
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, databaseUrl: database.url, telemetry }),
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    try {
      const started = performance.now();
      const result = await app.get(MetricReplayService).replay({
        tenantId: values.tenant,
        from: values.from,
        to: values.to,
        projector: values.projector,
      });
      process.stdout.write(
        `${JSON.stringify({ ...result, tenantId: values.tenant, durationMs: Math.round(performance.now() - started) })}\n`,
      );
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await telemetry.shutdown();
    await database.release();
  }
}

function fail(reason: string): number {
  process.stderr.write(`error: ${reason}\n\n${USAGE}\n`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`signal-replay failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
