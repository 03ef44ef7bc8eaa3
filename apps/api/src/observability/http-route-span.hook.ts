import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';

/**
 * The HTTP instrumentation sees only the raw URL; Fastify knows the route template. Naming
 * the server span `POST /api/ai-behavior/signals/batch` groups traces by endpoint without
 * putting user ids or other path values into span names.
 */
export function installHttpRouteSpans(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    if (span?.isRecording()) {
      const route = request.routeOptions.url ?? 'unmatched';
      span.setAttribute('http.route', route);
      span.updateName(`${request.method} ${route}`);
    }
    done();
  });
}
