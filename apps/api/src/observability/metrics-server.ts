import { createServer, type Server } from 'node:http';
import type { Telemetry } from './telemetry.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** GET /metrics for a process without an HTTP API (the worker). */
export async function startMetricsServer(
  telemetry: Telemetry,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && (request.url ?? '').split('?')[0] === '/metrics') {
      telemetry.exporter.getMetricsRequestHandler(request, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        statusCode: 404,
        error: 'Not Found',
        message: 'Only GET /metrics is served here',
        code: 'not_found',
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `server.metricsPort: port ${port} is in use; set METRICS_PORT to a free port (0 = any free port) or server.metricsPort to null`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
