import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../apps/api/src/database/free-port';
import { killServer, waitForPort } from './server-port';
import { REPO_ROOT } from './node-script.process';

// s3rver runs in a child process so a test can SIGKILL it like a real outage; its objects live in
// a directory of its own that survives the restart.
const SERVER_SCRIPT = `
const S3rver = require('s3rver');
const [port, directory, bucket] = process.argv.slice(1);
new S3rver({ port: Number(port), address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] })
  .run()
  .catch((error) => { console.error(error); process.exit(1); });
`;

/** A real S3-protocol server (s3rver) of a test's own, with one bucket, on a free port. */
export class S3ServerProcess {
  readonly endpoint: string;
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'behavior-test-s3-'));

  private constructor(
    readonly port: number,
    readonly bucket: string,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  static async start(bucket: string): Promise<S3ServerProcess> {
    const server = new S3ServerProcess(await findFreePort(), bucket);
    await server.restart();
    return server;
  }

  /** Starts it again on the same port and directory. */
  async restart(): Promise<void> {
    this.child = spawn(process.execPath, ['-e', SERVER_SCRIPT, String(this.port), this.dir, this.bucket], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForPort(this.port, true, 's3rver');
  }

  /** SIGKILL: no shutdown. */
  async kill(): Promise<void> {
    await killServer(this.child, this.port, 's3rver');
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
