import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { AggregationType } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

export interface Telemetry {
  readonly exporter: PrometheusExporter;
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  /** `service.name` of the exported spans and metrics. */
  readonly serviceName?: string;
  /** Span processors to use instead of the environment's exporter (tests collect spans in memory). */
  readonly spanProcessors?: SpanProcessor[];
}

/** The standard variables that ask for trace export; without one, spans are not even recorded. */
const TRACE_EXPORT_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_TRACES_EXPORTER',
];

/** Probes and scrapes would otherwise be most of the traces. */
const UNTRACED_PATHS = new Set(['/metrics', '/api/ai-behavior/health']);

let current: Telemetry | undefined;

/**
 * Starts the OpenTelemetry SDK once per process: a Prometheus reader served at /metrics (by
 * the API on its own port, by a worker on `server.metricsPort`), and traces exported over
 * OTLP when the standard `OTEL_*` variables say so. The HTTP, pg and ioredis
 * instrumentations patch those modules when they are loaded (all three are CommonJS, loaded
 * through `require` even from our ESM): start this before importing them, as the entry
 * points do by importing the service dynamically afterwards.
 */
export function startTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (current) return current;
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const exportFromEnvironment = TRACE_EXPORT_VARIABLES.some((name) => process.env[name]);
  const sdk = new NodeSDK({
    serviceName: options.serviceName ?? 'behavior-api',
    metricReaders: [exporter],
    // The HTTP instrumentation would record `http.server.request.duration` too, without the
    // route; http-metrics.hook.ts records it with the route, so one series family, not two.
    views: [
      { meterName: '@opentelemetry/instrumentation-http', aggregation: { type: AggregationType.DROP } },
    ],
    // Undefined lets the SDK build the exporter the variables describe (protocol, headers,
    // sampler); an empty list registers no tracer at all, so nothing tries to export.
    spanProcessors: options.spanProcessors ?? (exportFromEnvironment ? undefined : []),
    // Logs go to stdout through pino, not through OpenTelemetry.
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
        // `key`: a publishable key sent in the URL by a beacon stays out of `url.query`. Replacing
        // the list drops the library's defaults, so they are repeated.
        redactedQueryParamsServer: [
          'key',
          'sig',
          'Signature',
          'AWSAccessKeyId',
          'X-Goog-Signature',
          'X-Amz-Signature',
          'X-Amz-Credential',
          'X-Amz-Security-Token',
        ],
      }),
      // Only inside a traced operation: otherwise every idle poll would start a trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
    autoDetectResources: false,
  });
  sdk.start();
  current = {
    exporter,
    shutdown: async () => {
      current = undefined;
      await sdk.shutdown();
    },
  };
  return current;
}

export const meter = () => metrics.getMeter('behavior-api');
