import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { MAX_PATH_PARAM_UNITS } from '@lssm/behavior-core';
import { errorBody } from './error-body.js';

// Fastify rejects some requests before a route runs (body parsing, size, media
// type); Nest hands those errors to the exception filter, which maps them here.
const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body', message: 'The JSON request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The request body is too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: 'invalid_content_type' },
  // Raised by the router before any route runs (see `frameworkErrors` below).
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'The URL is not validly percent-encoded' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'param_too_long',
    message: `A path parameter is longer than ${MAX_PATH_PARAM_UNITS} characters`,
  },
};

export interface MappedError {
  status: number;
  code: string;
  message: string;
}

export function mapFastifyError(error: unknown): MappedError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
  const known = code ? FASTIFY_CODES[code] : undefined;
  if (known) return { status: known.status, code: known.code, message: known.message ?? message ?? '' };
  if (error instanceof SyntaxError)
    return { status: 400, code: 'malformed_json', message: 'The request body is not valid JSON' };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && code?.startsWith('FST_')) {
    return { status: statusCode, code: code.toLowerCase(), message: message ?? '' };
  }
  return undefined;
}

/** Fastify's `frameworkErrors`: router rejections (bad URL, long parameter) in the service's error shape. */
export function frameworkErrors(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
  const mapped = mapFastifyError(error) ?? { status: 400, code: 'bad_request', message: error.message };
  reply.code(mapped.status).send(errorBody(mapped.status, mapped.message, mapped.code));
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (oversized headers or URL,
 * malformed requests, timeouts) is answered on the raw socket, in the service's error shape.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request took too long to arrive']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request line or headers are too large']
        : [400, 'malformed_request', 'The HTTP request is malformed'];
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const body = JSON.stringify(errorBody(status, message, code));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
