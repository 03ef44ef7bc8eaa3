import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

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
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [resolve(root, script)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`service did not start:\n${logs.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      logs.push(text);
      const match = /"port":(\d+).*listening/.exec(text);
      if (match) {
        clearTimeout(timer);
        ok(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => logs.push(c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`service exited with ${code}:\n${logs.join('')}`));
    });
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, logs, exited };
}
