import type { FastifyInstance } from 'fastify';
import { meter } from './telemetry.js';

/** HTTP latency by route template (never the raw URL, to bound cardinality). */
export function installHttpMetrics(fastify: FastifyInstance): void {
  const duration = meter().createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'HTTP request latency',
    advice: { explicitBucketBoundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] },
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.record(reply.elapsedTime / 1000, {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unmatched',
      'http.response.status_code': reply.statusCode,
    });
    done();
  });
}
