import 'reflect-metadata';
import { ensureAdminKey } from './admin-key.js';
import { ensureOverlayKek } from './overlay-kek.js';
import { createApp } from './create-app.js';
import { drainHttp } from './drain-http.js';
import { exitOnShutdownSignal, startService } from './service-startup.js';
import type { Telemetry } from '../observability/telemetry.js';

/** `npm start` (main.ts, after telemetry started): config, database, migrations, HTTP. */
export async function runApi(telemetry: Telemetry): Promise<void> {
  const { logger, database, ...started } = await startService();
  const admin = ensureAdminKey(started.config, database.embedded);
  const config = ensureOverlayKek(admin.config, database.embedded).config;

  const app = await createApp({ config, databaseUrl: database.url, logger });
  exitOnShutdownSignal({
    logger,
    timeoutMs: config.server.shutdownTimeoutMs,
    message: 'shutting down: finishing in-flight requests',
    telemetry,
    database,
    closeService: async () => {
      await drainHttp(app.getHttpServer());
      await app.close();
    },
  });

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
