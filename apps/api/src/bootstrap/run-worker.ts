import 'reflect-metadata';
import { BEHAVIOR_INGESTION_ELSEWHERE } from '@lssm/behavior-core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { PinoNestLogger } from '../observability/pino-logger.js';
import type { Telemetry } from '../observability/telemetry.js';
import { exitOnShutdownSignal, startService } from './service-startup.js';
import { INGESTED_NOTICE } from './worker-child.supervisor.js';

// `npm run start:worker`: the same modules as the API in a Nest application context (no HTTP),
// running the job runner's workers and the metric projection. `processing.role` is forced to
// `worker` (a worker process that did not run workers would be pointless).
export async function runWorker(telemetry: Telemetry): Promise<void> {
  // Started by the API (workerProcess: child): the IPC channel closes when the API process is gone,
  // however it ended, and the worker then stops as on SIGTERM (gracefully once started, at once
  // while still starting), instead of living on as an orphan.
  if (process.send) {
    const stop = () => process.kill(process.pid, 'SIGTERM');
    if (!process.connected) stop();
    else process.once('disconnect', stop);
  }
  // Started by the API (workerProcess: child): its share of database.poolSize, no ingestion.
  const childPool = Number(process.env.BEHAVIOR_WORKER_POOL_SIZE ?? 0);
  const { config, logger, database } = await startService({
    config: {
      overrides: {
        ai: { behavior: { processing: { role: 'worker' } } },
        ...(childPool > 0 ? { database: { poolSize: childPool, ingestReserved: 1 } } : {}),
      },
    },
    // An API beside it may own the embedded cluster: leave one it found running.
    databaseOwner: 'cli',
  });
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, databaseUrl: database.url, telemetry }),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  await app.init();
  // The API that started this process says when it ingests (see WorkerChildSupervisor).
  if (process.send) {
    const events = app.get(EventEmitter2);
    process.on('message', (message: { type?: string } | null) => {
      if (message?.type === INGESTED_NOTICE.type) events.emit(BEHAVIOR_INGESTION_ELSEWHERE);
    });
  }
  // The worker has no HTTP API; its metrics (projection lag, projector and strategy
  // durations) are served on a port of their own for Prometheus to scrape.
  const metricsServer =
    config.server.metricsPort === null
      ? undefined
      : await startMetricsServer(telemetry, config.server.metricsPort, config.server.host);
  exitOnShutdownSignal({
    logger,
    timeoutMs: config.server.shutdownTimeoutMs,
    message: 'worker shutting down: finishing running jobs',
    telemetry,
    database,
    closeService: async () => {
      await app.close();
      await metricsServer?.close();
    },
  });
  logger.info(
    { role: 'worker', pid: process.pid, metricsPort: metricsServer?.port ?? null },
    'behavior worker started',
  );
}
