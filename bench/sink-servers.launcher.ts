import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../apps/api/src/database/free-port.js';

/** A receiver a sink delivers to, started and stopped by the bench. */
export interface SinkServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * redis-server from PATH (or BENCH_REDIS_SERVER) with an append-only file fsynced every second,
 * the usual production setting for a stream that others read.
 */
export async function startRedisServer(): Promise<SinkServer> {
  const binary =
    process.env.BENCH_REDIS_SERVER ??
    spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!binary) {
    throw new Error(
      'redis-server not found: install it (apt-get install redis-server) or set BENCH_REDIS_SERVER',
    );
  }
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'],
    { stdio: 'ignore' },
  );
  return serverOf(child, port, `redis://127.0.0.1:${port}`, dir);
}

/** s3rver (the S3-protocol server the tests use) in a child process, with one bucket. */
export async function startS3Server(root: string, bucket: string): Promise<SinkServer> {
  const port = await findFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-s3-'));
  const script =
    `const S3rver = require('s3rver'); new S3rver({ port: ${port}, address: '127.0.0.1', directory: ${JSON.stringify(dir)},` +
    ` silent: true, configureBuckets: [{ name: ${JSON.stringify(bucket)} }] }).run()` +
    `.catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return serverOf(child, port, `http://127.0.0.1:${port}`, dir);
}

async function serverOf(child: ChildProcess, port: number, url: string, dir: string): Promise<SinkServer> {
  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
