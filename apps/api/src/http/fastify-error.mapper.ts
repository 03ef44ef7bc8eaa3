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
