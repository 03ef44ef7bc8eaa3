import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorDetailDto, ErrorResponseDto } from '@lssm/nest-common';

/** The OpenAPI 3 document; every operation documents the shared error schema. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Behavior service API')
    .setDescription(
      'Behavior signals, metrics, insights and segments; signed UI overlays and composed workflows. ' +
        'Errors share one shape: { statusCode, error, message, code, details? }.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Tenant API key' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'BEHAVIOR_ADMIN_KEY' }, 'adminKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto, ErrorDetailDto],
  });
  const errorRef = { $ref: '#/components/schemas/ErrorResponseDto' };
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const responses = operation.responses as Record<string, any>;
      for (const [status, response] of Object.entries(responses)) {
        // Error responses declared without a body get the shared error schema.
        if (Number(status) >= 400 && !response.content) {
          response.content = { 'application/json': { schema: errorRef } };
        }
      }
      responses['4XX'] ??= {
        description: 'Client error',
        content: { 'application/json': { schema: errorRef } },
      };
      responses['5XX'] ??= {
        description: 'Server error',
        content: { 'application/json': { schema: errorRef } },
      };
    }
  }
  return document;
}
