import { STATUS_CODES } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorDetailDto, ErrorResponseDto } from '@lssm/nest-common';
import { defaultCode } from './error-body.js';

const ERROR_REF = '#/components/schemas/ErrorResponseDto';
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/**
 * The OpenAPI 3 document, shaped for generated clients (libs/client is generated from it):
 * every operation documents the shared error schema with an example of its own status, and a
 * route with no security requirement says so with `security: []`.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Behavior service API')
    .setDescription(
      'Behavior signals, metrics, insights and segments; signed UI overlays and composed workflows. ' +
        'Errors share one shape: { statusCode, error, message, code, details? }.',
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Paths are absolute from the service's origin; clients pass that origin as their base URL.
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Tenant API key' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'BEHAVIOR_ADMIN_KEY' }, 'adminKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto, ErrorDetailDto],
    // The one naming rule: an operation's id is its handler's name (verbNoun, e.g.
    // ingestSignalBatch), unless @ApiOperation({ operationId }) says otherwise. Ids are the
    // generated client's contract; the OpenAPI e2e test keeps them unique and camelCase.
    operationIdFactory: (_controllerKey: string, methodKey: string) => methodKey,
  });
  for (const path of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(path)) {
      if (!METHODS.has(method) || typeof operation !== 'object' || operation === null) continue;
      // Routes marked @Public() declare no bearer scheme: an explicit empty list says "no auth".
      operation.security ??= [];
      const responses = operation.responses as Record<string, any>;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) documentError(response, Number(status));
      }
      responses['4XX'] ??= documentError({ description: 'Client error' }, 400);
      responses['5XX'] ??= documentError({ description: 'Server error' }, 503);
    }
  }
  return document;
}

/**
 * Gives an error response the shared error schema (when it declares no body) and an example
 * of its own status and reason, so Swagger UI and clients do not show one 422 everywhere.
 */
function documentError(response: Record<string, any>, status: number): Record<string, any> {
  response.content ??= { 'application/json': { schema: { $ref: ERROR_REF } } };
  const media = response.content['application/json'];
  // Only the error schema and its subclasses (WorkflowErrorResponseDto): /health answers its 503
  // with its own report.
  const isErrorBody = /ErrorResponseDto$/.test(media?.schema?.$ref ?? '');
  if (isErrorBody && media.example === undefined && media.examples === undefined) {
    const code = defaultCode(status);
    media.example = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message: response.description ?? STATUS_CODES[status] ?? 'Error',
      code,
      ...(status === 400 || status === 422
        ? { details: [{ path: 'attributes.contentId', code: 'required', message: 'is required' }] }
        : {}),
    };
  }
  return response;
}
