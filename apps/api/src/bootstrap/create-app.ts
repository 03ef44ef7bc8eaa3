import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import { MAX_PATH_PARAM_UNITS, type BehaviorAddOnDefinition } from '@lssm/behavior-core';
import { clientErrorHandler, frameworkErrors } from '../http/fastify-error.mapper.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { buildOpenApiDocument } from '../http/openapi-document.js';
import { installBrowserAccess } from '../http/browser-access.hook.js';
import { PublishableOrigins } from '../auth/publishable-origins.js';
import { installHttpMetrics } from '../observability/http-metrics.hook.js';
import { installHttpRouteSpans } from '../observability/http-route-span.hook.js';
import { installRequestLogContext, RequestLogController } from '../observability/request-log.context.js';
import { createRootLogger, PinoNestLogger } from '../observability/pino-logger.js';
import { startTelemetry } from '../observability/telemetry.js';

export interface CreateAppOptions {
  config: AppConfig;
  databaseUrl: string;
  logger?: Logger;
  /** The add-ons the host lists (DEFAULT_ADD_ONS unless given); pass the same list as to loadConfig. */
  addOns?: readonly BehaviorAddOnDefinition<any>[];
}

/** Builds the initialised (not yet listening) application; shared by main.ts and the e2e tests. */
export async function createApp(options: CreateAppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const logger = options.logger ?? createRootLogger(config.server.logLevel);
  const telemetry = startTelemetry();
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.server.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    // Signals may carry hostile keys; keep them as plain own properties so schema
    // validation rejects that one item with a reason instead of the whole request.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    genReqId: () => randomUUID(),
    logController: new RequestLogController(),
    return503OnClosing: true,
    // Path parameters as long as the longest id ingestion accepts (a userId of 256 code points).
    routerOptions: { maxParamLength: MAX_PATH_PARAM_UNITS },
    // Errors raised before a route runs leave in the service's error shape too.
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: options.databaseUrl, telemetry, addOns: options.addOns }),
    adapter,
    // Fastify's own JSON parser reports FST_ERR_CTP_* codes that map to precise reasons.
    { logger: new PinoNestLogger(logger), abortOnError: false, bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installRequestLogContext(fastify);
  installBrowserAccess(fastify, app.get(PublishableOrigins));
  installHttpRouteSpans(fastify);
  installHttpMetrics(fastify);
  app.useGlobalPipes(createValidationPipe());
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await app.init();
  return app;
}
