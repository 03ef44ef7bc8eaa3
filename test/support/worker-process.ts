import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  /** The port of its GET /metrics, from the start-up line (null when switched off). */
  metricsPort: number | null;
  stop(): Promise<void>;
}

/** Runs the built worker (`npm run start:worker`) and waits for its start-up line. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [resolve(root, 'dist/apps/api/src/worker.js')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
  const metricsPort = await new Promise<number | null>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${logs.join('')}`)), 60_000);
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      logs.push(chunk.toString());
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.includes('behavior worker started')) continue;
        clearTimeout(timer);
        ok((JSON.parse(line) as { metricsPort: number | null }).metricsPort);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      fail(new Error(`worker exited with ${child.exitCode}:\n${logs.join('')}`));
    });
  });
  return {
    child,
    logs,
    metricsPort,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
