import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { EX_CONFIG, loadConfigOrExitCode } from '../config/config-or-exit-code.js';
import type { LoadConfigOptions } from '../config/load-config.js';
import { openDatabaseUrl, type DatabaseHandle } from '../database/database-url.js';
import { addOnMigrations } from '../config/enabled-add-ons.js';
import { runMigrations } from '../database/run-migrations.js';
import { createRootLogger } from '../observability/pino-logger.js';
import type { Telemetry } from '../observability/telemetry.js';

export interface ServiceStart {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
}

export interface ServiceStartOptions {
  readonly config?: LoadConfigOptions;
  /** Who owns an embedded cluster: see openDatabaseUrl. */
  readonly databaseOwner?: 'service' | 'cli';
}

/**
 * What the API and the worker do before their Nest application exists: load the
 * configuration (exiting with EX_CONFIG when it is invalid), open the database and apply
 * pending migrations when `database.autoMigrate` asks for it.
 */
export async function startService(options: ServiceStartOptions = {}): Promise<ServiceStart> {
  const config = loadConfigOrExitCode(options.config);
  if (config === EX_CONFIG) process.exit(EX_CONFIG);
  const logger = createRootLogger(config.server.logLevel);
  const database = await openDatabaseUrl(
    config,
    (m) => logger.warn({ component: 'postgres' }, m),
    options.databaseOwner,
  );
  if (database.embedded)
    logger.info({ url: database.url.replace(/:[^:@/]+@/, ':***@') }, 'embedded PostgreSQL started');
  if (config.database.autoMigrate) {
    const applied = await runMigrations(database.url, addOnMigrations(config, options.config?.addOns));
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  return { config, logger, database };
}

export interface ShutdownOptions {
  readonly logger: Logger;
  readonly timeoutMs: number;
  /** Logged when the signal arrives, e.g. what is being waited for. */
  readonly message: string;
  telemetry: Telemetry;
  database: DatabaseHandle;
  /** The service's own steps (drain HTTP, close the app), run before telemetry and database. */
  closeService(): Promise<void>;
}

/**
 * On SIGTERM or SIGINT: the service's own steps, then telemetry (so the last spans and
 * metrics are flushed) and the database, then exit 0. A shutdown that hangs past
 * `server.shutdownTimeoutMs` exits 1 rather than leaving an orchestrator waiting forever.
 */
export function exitOnShutdownSignal(options: ShutdownOptions): void {
  const { logger } = options;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, options.message);
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, options.timeoutMs);
    force.unref();
    try {
      await options.closeService();
      await options.telemetry.shutdown();
      await options.database.release();
      logger.info('shutdown complete');
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
