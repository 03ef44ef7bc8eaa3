import 'reflect-metadata';
import { ensureAdminKey } from './admin-key.js';
import { ensureOverlayKek } from './overlay-kek.js';
import { createApp } from './create-app.js';
import { drainHttp } from './drain-http.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openDatabaseUrl } from '../database/database-url.js';
import { runMigrations } from '../database/run-migrations.js';
import { createRootLogger } from '../observability/pino-logger.js';
import type { Telemetry } from '../observability/telemetry.js';

/** `npm start` (main.ts, after telemetry started): config, database, migrations, HTTP. */
export async function runApi(telemetry: Telemetry): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createRootLogger(config.server.logLevel);
  const database = await openDatabaseUrl(config, (m) => logger.warn({ component: 'postgres' }, m));
  if (database.embedded)
    logger.info({ url: database.url.replace(/:[^:@/]+@/, ':***@') }, 'embedded PostgreSQL started');
  if (config.database.autoMigrate) {
    const applied = await runMigrations(database.url);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const admin = ensureAdminKey(config, database.embedded);
  config = admin.config;
  config = ensureOverlayKek(config, database.embedded).config;

  const app = await createApp({ config, databaseUrl: database.url, logger });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.server.shutdownTimeoutMs);
    force.unref();
    try {
      await drainHttp(app.getHttpServer());
      await app.close();
      await telemetry.shutdown();
      await database.release();
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

  await app.listen({ port: config.server.port, host: config.server.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  logger.info({ port }, `behavior service listening on http://127.0.0.1:${port} (docs at /docs)`);
  if (admin.generated) {
    process.stdout.write(
      `\nGenerated admin key (kept in ${admin.file}):\n  ${admin.generated}\n` +
        `Create a tenant: curl -X POST http://127.0.0.1:${port}/api/admin/tenants -H "Authorization: Bearer ${admin.generated}" -H "Content-Type: application/json" -d '{"id":"acme","name":"Acme"}'\n\n`,
    );
  }
}

export function exitOnStartupError(error: unknown): never {
  // A broken schema file is a configuration error: its problems already name file, id,
  // field and reason, and a stack trace would only bury them.
  if (error instanceof Error && error.name === 'SchemaLoadError') {
    process.stderr.write(`Fatal: ${error.message}\nCheck the schema files with: npm run schema-doctor\n`);
    process.exit(78); // EX_CONFIG, as for an invalid configuration
  }
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
