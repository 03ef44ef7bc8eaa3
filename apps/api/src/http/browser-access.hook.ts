import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PublishableOrigins } from '../auth/publishable-origins.js';

/**
 * The routes a web page calls with a publishable key (the ingest controller's, which carry
 * AllowPublishableKey): only these answer preflights and parse text/plain bodies as JSON.
 */
export const BROWSER_INGEST_PATHS: ReadonlySet<string> = new Set([
  '/api/ai-behavior/signals',
  '/api/ai-behavior/signals/batch',
]);

const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the browser ingest routes, granted to an origin some active publishable key lists
 * (any tenant's: the key presented is checked against its own origins by the auth guard, so the
 * grant only lets the browser send the request). Other origins get no grant, so the browser
 * blocks the call; other routes never grant: secret keys are not for web pages.
 */
export function installBrowserAccess(fastify: FastifyInstance, origins: PublishableOrigins): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (!BROWSER_INGEST_PATHS.has(path)) return;
    reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    const granted = typeof origin === 'string' && (await origins.allows(origin));
    if (granted) reply.header('access-control-allow-origin', origin);
    if (request.method !== 'OPTIONS') return;
    if (granted) {
      reply.header('access-control-allow-methods', 'POST');
      reply.header('access-control-allow-headers', 'authorization, content-type');
      reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    await reply.code(204).send();
  });

  // navigator.sendBeacon posts a string as text/plain (a content type that needs no preflight):
  // on the ingest routes it is parsed as JSON, with the JSON parser's limits and error codes.
  const json = fastify.getDefaultJsonParser('ignore', 'ignore');
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
    if (BROWSER_INGEST_PATHS.has(pathOf(request.url))) return json(request, body as string, done);
    done(null, body);
  });
}

/** The request URL with a `key` query parameter's value hidden, for the request log. */
export function redactKeyInUrl(url: string): string {
  return url.includes('key=') ? url.replace(/([?&]key=)[^&#]*/g, '$1[redacted]') : url;
}

/** The request as the log serializer sees it, with the key taken out of its URL. */
export function loggableRequest(request: FastifyRequest): FastifyRequest {
  const url = redactKeyInUrl(request.url);
  return url === request.url ? request : (Object.create(request, { url: { value: url } }) as FastifyRequest);
}

function pathOf(url: string): string {
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
