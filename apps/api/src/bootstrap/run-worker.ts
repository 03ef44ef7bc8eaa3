import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { runMigrations } from '../database/run-migrations.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { createRootLogger, PinoNestLogger } from '../observability/pino-logger.js';
import type { Telemetry } from '../observability/telemetry.js';

// `npm run start:worker`: the same modules as the API in a Nest application context (no HTTP),
// running the job runner's workers and the metric projection. `processing.role` is forced to
// `worker` (a worker process that did not run workers would be pointless).
export async function runWorker(telemetry: Telemetry): Promise<void> {
  let config;
  try {
    config = loadConfig({ overrides: { ai: { behavior: { processing: { role: 'worker' } } } } });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createRootLogger(config.server.logLevel);
  const database = await openDatabaseUrl(config, (m) => logger.warn({ component: 'postgres' }, m), 'cli');
  if (config.database.autoMigrate) {
    const applied = await runMigrations(database.url);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl: database.url, telemetry }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  await app.init();
  // The worker has no HTTP API; its metrics (projection lag, projector and strategy
  // durations) are served on a port of their own for Prometheus to scrape.
  const metricsServer =
    config.server.metricsPort === null
      ? undefined
      : await startMetricsServer(telemetry, config.server.metricsPort, config.server.host);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'worker shutting down: finishing running jobs');
    const force = setTimeout(() => process.exit(1), config.server.shutdownTimeoutMs);
    force.unref();
    try {
      await app.close();
      await metricsServer?.close();
      await telemetry.shutdown();
      await database.release();
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'worker shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  logger.info(
    { role: 'worker', pid: process.pid, metricsPort: metricsServer?.port ?? null },
    'behavior worker started',
  );
}
