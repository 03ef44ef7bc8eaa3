import { AsyncLocalStorage } from 'node:async_hooks';
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { loggableRequest } from '../http/browser-access.hook.js';

/**
 * The logger of the request being served (Fastify's per-request pino child: `reqId`, and
 * `tenantId` once the auth guard knows it). Nest's `Logger` lines go through it, so a line
 * written anywhere while serving a request (an exception filter's 5xx included) carries
 * the request's bindings.
 */
export const requestLogs = new AsyncLocalStorage<FastifyBaseLogger>();

export function installRequestLogContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => requestLogs.run(request.log, done));
  // Body parsing continues from the socket's events, outside the context entered above:
  // enter it again before validation, guards and the handler.
  fastify.addHook('preValidation', (request, _reply, done) => requestLogs.run(request.log, done));
}

/**
 * Fastify's "incoming request" line is written before authentication, so it could never
 * carry the tenant: it is dropped, and its method and URL go on "request completed".
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    // A publishable key may ride in the query (sendBeacon): it stays out of the log.
    const line = { req: loggableRequest(request), res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** Adds bindings to the request's logger in place, so every later line of the request has them. */
export function bindRequestLog(log: FastifyBaseLogger | undefined, bindings: Record<string, unknown>): void {
  (log as { setBindings?: (b: Record<string, unknown>) => void } | undefined)?.setBindings?.(bindings);
}
