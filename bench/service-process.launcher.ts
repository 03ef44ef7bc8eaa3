import { spawn, type ChildProcess } from 'node:child_process';
import { findFreePort } from '../apps/api/src/database/free-port.js';

export interface LaunchedService {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly baseUrl: string;
  readonly logs: string[];
  /** SIGTERM (graceful: a --cpu-prof profile is written on exit), then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface LaunchOptions {
  readonly script: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** Extra node flags for the service, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
}

/** The built service as its own process, as `npm start` runs it, so it does not share an event loop with the load. */
export async function launchService(options: LaunchOptions): Promise<LaunchedService> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  // Keep only the tail: at LOG_LEVEL=warn little is written, but a failing run may log per request.
  const keep = (chunk: Buffer) => {
    logs.push(chunk.toString());
    if (logs.length > 200) logs.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const stop = async () => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode}:\n${logs.join('')}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`service did not start within 60 s:\n${logs.join('')}`);
    }
    const ok = await fetch(`${baseUrl}/api/ai-behavior/health`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, pid: child.pid!, baseUrl, logs, stop };
}
