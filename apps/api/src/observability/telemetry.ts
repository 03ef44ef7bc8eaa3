import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface Telemetry {
  readonly exporter: PrometheusExporter;
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

/**
 * Starts the OpenTelemetry SDK once per process with a Prometheus reader served at
 * /metrics by the API (not on a port of its own). Instruments made through
 * `@opentelemetry/api` anywhere (libs included) are exported; create them after this.
 */
export function startTelemetry(): Telemetry {
  if (current) return current;
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const sdk = new NodeSDK({
    serviceName: 'behavior-api',
    metricReaders: [exporter],
    instrumentations: [],
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
