/*
 * Tracker: what a Node app pays per track() call and how fast each SDK delivers, for @lssm/tracker
 * against @segment/analytics-node and posthog-node in the same run. All three send to a local HTTP
 * sink in a child process that only counts events (and answers each SDK the way its service would:
 * ours gets per-item results), so the network and the service are out of the picture.
 *
 * Per SDK and round: BENCH_EVENTS track() calls in a tight loop (the per-call overhead is that
 * loop's time divided by the calls: what the app's request handler pays), then the wait until the
 * sink has counted every event (delivery throughput = events / (loop + wait)). Rounds rotate the SDK
 * order; the medians are printed. Same batch size (100) and flush interval (50 ms) for all; gzip off
 * for PostHog, since the others do not compress. Scale: BENCH_EVENTS (20,000), BENCH_ROUNDS (5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Analytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';
import { FileStore, Tracker } from '@lssm/tracker';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100;
const INTERVAL_MS = 50;

interface Sdk {
  name: string;
  track(i: number): void;
  close(): Promise<void>;
}

function runSink(): void {
  let count = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.end(String(count));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { batch?: unknown[]; signals?: unknown[] };
      const items = body.signals ?? body.batch ?? [];
      count += items.length;
      res.setHeader('content-type', 'application/json');
      res.end(
        body.signals
          ? JSON.stringify({ results: items.map((_, index) => ({ index, status: 'accepted' })) })
          : '{}',
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

async function startSink(): Promise<{ url: string; child: ChildProcess; count(): Promise<number> }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'sink'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((ok) =>
    child.stdout!.once('data', (c: Buffer) => ok(c.toString().trim())),
  );
  const url = `http://127.0.0.1:${port}`;
  return { url, child, count: async () => Number(await (await fetch(`${url}/count`)).text()) };
}

const properties = (i: number) => ({ contentId: `c${i % 5000}`, durationSeconds: (i % 600) + 0.5 });

function sdks(url: string): Array<() => Sdk> {
  return [
    () => {
      const t = new Tracker({
        host: url,
        key: 'k',
        batchSize: BATCH,
        flushIntervalMs: INTERVAL_MS,
        maxQueueCount: EVENTS * 2,
        maxQueueBytes: 1e9,
      });
      return {
        name: '@lssm/tracker',
        track: (i) => void t.track('content.view', properties(i), { userId: `u${i % 1000}` }),
        close: () => t.shutdown(),
      };
    },
    () => {
      const store = new FileStore(join(mkdtempSync(join(tmpdir(), 'bench-tracker-')), 'queue.json'));
      const t = new Tracker({
        host: url,
        key: 'k',
        store,
        batchSize: BATCH,
        flushIntervalMs: INTERVAL_MS,
        maxQueueCount: EVENTS * 2,
        maxQueueBytes: 1e9,
      });
      return {
        name: '@lssm/tracker + FileStore',
        track: (i) => void t.track('content.view', properties(i), { userId: `u${i % 1000}` }),
        close: () => t.shutdown(),
      };
    },
    () => {
      const a = new Analytics({ writeKey: 'k', host: url, flushAt: BATCH, flushInterval: INTERVAL_MS });
      return {
        name: '@segment/analytics-node',
        track: (i) => a.track({ userId: `u${i % 1000}`, event: 'content.view', properties: properties(i) }),
        close: () => a.closeAndFlush(),
      };
    },
    () => {
      const p = new PostHog('k', {
        host: url,
        flushAt: BATCH,
        maxBatchSize: BATCH,
        maxQueueSize: EVENTS * 2,
        flushInterval: INTERVAL_MS,
        disableCompression: true,
        disableGeoip: true,
      });
      return {
        name: 'posthog-node',
        track: (i) =>
          p.capture({ distinctId: `u${i % 1000}`, event: 'content.view', properties: properties(i) }),
        close: () => p.shutdown(),
      };
    },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const sink = await startSink();
  const makers = sdks(sink.url);
  const perCall = new Map<string, number[]>();
  const throughput = new Map<string, number[]>();
  try {
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (let k = 0; k < makers.length; k++) {
        const sdk = makers[(k + round) % makers.length]();
        const before = await sink.count();
        const start = process.hrtime.bigint();
        for (let i = 0; i < EVENTS; i++) sdk.track(i);
        const looped = process.hrtime.bigint();
        while ((await sink.count()) < before + EVENTS) await new Promise((ok) => setTimeout(ok, 5));
        const delivered = process.hrtime.bigint();
        await sdk.close();
        if (round === 0) continue; // warm-up: JIT and connection set-up
        (perCall.get(sdk.name) ?? perCall.set(sdk.name, []).get(sdk.name)!).push(
          Number(looped - start) / EVENTS,
        );
        (throughput.get(sdk.name) ?? throughput.set(sdk.name, []).get(sdk.name)!).push(
          EVENTS / (Number(delivered - start) / 1e9),
        );
      }
    }
  } finally {
    sink.child.kill();
  }
  const rows = [...perCall.keys()].map((name) => ({
    name,
    ns: median(perCall.get(name)!),
    rate: median(throughput.get(name)!),
  }));
  const others = rows.filter((r) => !r.name.startsWith('@lssm'));
  const fastest = Math.min(...others.map((r) => r.ns));
  console.log(
    `bench:tracker  ${EVENTS.toLocaleString('en-US')} events x ${ROUNDS} rounds (medians), batch ${BATCH}`,
  );
  console.log(
    'sdk                            per track() call   delivery (events/s)   overhead vs faster of segment/posthog',
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(30)} ${`${(r.ns / 1000).toFixed(2)} µs`.padStart(16)}   ${Math.round(r.rate).toLocaleString('en-US').padStart(19)}   ${(r.ns / fastest).toFixed(2)}x`,
    );
  }
  const ours = rows.find((r) => r.name === '@lssm/tracker')!;
  console.log(
    `target: @lssm/tracker per-call overhead <= faster of the two: ${ours.ns <= fastest ? 'met' : 'missed'} (${(ours.ns / fastest).toFixed(2)}x)`,
  );
}

if (process.argv[2] === 'sink') runSink();
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
