import type { Server } from 'node:http';

/**
 * Stops accepting connections and resolves once every in-flight request has been
 * answered. Nest's own close tears modules (and the database pool) down before the
 * HTTP server, so draining first is what lets in-flight work finish.
 */
export function drainHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Keep-alive connections that go idle after their last response are closed too.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    server.once('close', () => clearInterval(sweep));
  });
}
