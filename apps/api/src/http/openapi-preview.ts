import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import type { Telemetry } from '../observability/telemetry.js';
import { buildOpenApiDocument } from './openapi-document.js';

// Never used: in preview mode Nest resolves the module graph and reads controller metadata without
// creating a single provider, so no pool, ORM, Redis client or telemetry SDK exists.
const UNUSED_DATABASE_URL = 'postgres://openapi.invalid/unused';
const UNUSED_TELEMETRY = {} as Telemetry;

/**
 * The document the service would serve at /docs-json with this configuration, built without a
 * database (npm run openapi, npm run client:generate and the client drift test).
 */
export async function previewOpenApiDocument(config: AppConfig): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl: UNUSED_DATABASE_URL, telemetry: UNUSED_TELEMETRY }),
    new FastifyAdapter(),
    { preview: true, logger: false, abortOnError: false },
  );
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
