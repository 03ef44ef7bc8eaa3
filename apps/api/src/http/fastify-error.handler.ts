import type { FastifyError, FastifyInstance } from 'fastify';
import { defaultCode, errorBody } from './error-body.js';

// Fastify rejects some requests before Nest sees them (body parsing, size, media
// type); map its error codes onto the API's error shape and reasons.
const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body', message: 'The JSON request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
};

export function installFastifyErrorHandling(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) {
      const message = known.message ?? error.message;
      return reply.status(known.status).send(errorBody(known.status, message, known.code));
    }
    // SyntaxError from JSON.parse in the content-type parser
    if (error instanceof SyntaxError || (error as { type?: string }).type === 'entity.parse.failed') {
      return reply.status(400).send(errorBody(400, 'The request body is not valid JSON', 'malformed_json'));
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    const message = status >= 500 ? 'Internal server error' : error.message;
    return reply.status(status).send(errorBody(status, message, defaultCode(status)));
  });
}
