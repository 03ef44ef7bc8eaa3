import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../apps/api/src/database/free-port';
import { killServer, waitForPort } from './server-port';
import { provisionSystemTools, REDIS_SERVER } from './system-packages.provisioner';

/**
 * A redis-server of a test's own (the shared one must not be killed), with every write fsynced to
 * its append-only file before the reply: what it acknowledged survives a SIGKILL and a restart.
 */
export class RedisServerProcess {
  readonly url: string;
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'behavior-test-redis-'));

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(): Promise<RedisServerProcess> {
    const binary = provisionSystemTools([REDIS_SERVER]).get(REDIS_SERVER.command)!;
    const server = new RedisServerProcess(binary, await findFreePort());
    await server.restart();
    return server;
  }

  /** Starts it again on the same port and data directory. */
  async restart(): Promise<void> {
    this.child = spawn(
      this.binary,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(this.port, true, 'redis-server');
  }

  /** SIGKILL: no shutdown, no final save. */
  async kill(): Promise<void> {
    await killServer(this.child, this.port, 'redis-server');
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
