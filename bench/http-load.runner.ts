import autocannon from 'autocannon';

export interface LoadPhase {
  readonly title: string;
  readonly url: string;
  readonly apiKey: string;
  readonly connections: number;
  readonly seconds: number;
  /** A fresh body per request (unique signalKeys); called by autocannon as each request is built. */
  readonly body: () => string;
}

export interface LoadResult {
  readonly seconds: number;
  /** Responses by status code. */
  readonly statuses: ReadonlyMap<number, number>;
  readonly ok: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Latencies of 2xx responses, ms, sorted ascending. */
  readonly latencies: Float64Array;
}

/**
 * Closed-loop load: each of `connections` keep-alive connections sends its next request as
 * soon as the previous answer arrives (autocannon, HTTP/1.1, no pipelining). Latency is
 * request write to full response, per request, as autocannon measures it.
 */
export function runLoad(phase: LoadPhase): Promise<LoadResult> {
  const statuses = new Map<number, number>();
  let latencies = new Float64Array(1 << 16);
  let recorded = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        title: phase.title,
        url: phase.url,
        method: 'POST',
        connections: phase.connections,
        duration: phase.seconds,
        timeout: 30,
        headers: { authorization: `Bearer ${phase.apiKey}`, 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => ({ ...request, body: phase.body() }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.subarray(0, recorded).sort();
        resolve({
          seconds: result.duration,
          statuses,
          ok: sorted.length,
          errors: result.errors,
          timeouts: result.timeouts,
          latencies: sorted,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      if (statusCode < 200 || statusCode >= 300) return;
      if (recorded === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[recorded++] = responseTime;
    });
  });
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
