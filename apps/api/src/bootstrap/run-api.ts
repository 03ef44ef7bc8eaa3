import 'reflect-metadata';
import { BEHAVIOR_SIGNAL_BATCH_INGESTED } from '@lssm/behavior-core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { ensureAdminKey } from './admin-key.js';
import { ensureOverlayKek } from './overlay-kek.js';
import { createApp } from './create-app.js';
import { drainHttp } from './drain-http.js';
import { exitOnShutdownSignal, startService } from './service-startup.js';
import type { Telemetry } from '../observability/telemetry.js';
import type { AppConfig } from '../config/app-config.js';
import { WorkerChildSupervisor } from './worker-child.supervisor.js';

/** `npm start` (main.ts, after telemetry started): config, database, migrations, HTTP. */
export async function runApi(telemetry: Telemetry): Promise<void> {
  const { logger, database, ...started } = await startService();
  const admin = ensureAdminKey(started.config, database.embedded);
  const config = ensureOverlayKek(admin.config, database.embedded).config;

  // role all + workerProcess child: this process serves the API only; a supervised worker process
  // runs the consumers and job workers (see docs/operations.md, "Topologies").
  const processing = config.ai.behavior.processing;
  const split =
    processing.role === 'all' && processing.workerProcess === 'child' ? workerSplit(config) : undefined;
  const supervisor = split
    ? new WorkerChildSupervisor({
        databaseUrl: database.url,
        logger,
        stopTimeoutMs: config.server.shutdownTimeoutMs,
        poolSize: split.workerPool,
      })
    : undefined;
  const app = await createApp({ config: split?.apiConfig ?? config, databaseUrl: database.url, logger });
  exitOnShutdownSignal({
    logger,
    timeoutMs: config.server.shutdownTimeoutMs,
    message: 'shutting down: finishing in-flight requests',
    telemetry,
    database,
    closeService: async () => {
      await Promise.all([drainHttp(app.getHttpServer()), supervisor?.stop()]);
      await app.close();
    },
  });

  // The worker process hears of this process's ingestion: it wakes its consumers sooner and
  // yields the CPUs to ingestion while both want them (stream.busyShare).
  if (supervisor) app.get(EventEmitter2).on(BEHAVIOR_SIGNAL_BATCH_INGESTED, () => supervisor.ingested());
  await app.listen({ port: config.server.port, host: config.server.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  logger.info({ port }, `behavior service listening on http://127.0.0.1:${port} (docs at /docs)`);
  supervisor?.start();
  if (admin.generated) {
    process.stdout.write(
      `\nGenerated admin key (kept in ${admin.file}):\n  ${admin.generated}\n` +
        `Create a tenant: curl -X POST http://127.0.0.1:${port}/api/admin/tenants -H "Authorization: Bearer ${admin.generated}" -H "Content-Type: application/json" -d '{"id":"acme","name":"Acme"}'\n\n`,
    );
  }
}

/**
 * The API process serves only; the worker process gets the connections its lanes, jobs and lease
 * renewals use at once, taken out of database.poolSize so the service as a whole stays within it.
 * Each consumer has its own lanes; a transactional one holds a connection for its whole batch, an
 * external one only around the read and the checkpoint, so two lanes' worth covers the usual set.
 */
function workerSplit(config: AppConfig): { apiConfig: AppConfig; workerPool: number } {
  const { behavior } = config.ai;
  const { poolSize, ingestReserved } = config.database;
  const apiFloor = ingestReserved + 2;
  const workerPool = Math.max(
    3,
    Math.min(2 * behavior.stream.lanes + behavior.processing.concurrency + 3, poolSize - apiFloor),
  );
  return {
    workerPool,
    apiConfig: {
      ...config,
      database: { ...config.database, poolSize: Math.max(apiFloor, poolSize - workerPool) },
      ai: { ...config.ai, behavior: { ...behavior, processing: { ...behavior.processing, role: 'api' } } },
    },
  };
}
