import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { findFreePort } from '../../apps/api/src/database/free-port';

const root = resolve(__dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  logs: string[];
  exited: Promise<number | null>;
}

/** Runs the built service (dist/) as a real child process, as `npm start` does after building. */
export async function startServiceProcess(
  env: Record<string, string>,
  script = 'dist/apps/api/src/main.js',
  startTimeoutMs = 60_000,
): Promise<ServiceProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, [resolve(root, script)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // The worker process the service starts (role all) serves its metrics on a free port.
      METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  child.stdout!.on('data', (c: Buffer) => logs.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  // Ready when health answers (whatever the log level, so no log line is relied on).
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`service exited with ${exitCode}:\n${logs.join('')}`);
    if (Date.now() > deadline) throw new Error(`service did not start:\n${logs.join('')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/ai-behavior/health`, {
      signal: AbortSignal.timeout(1000),
    })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, logs, exited };
}
