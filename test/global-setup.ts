/* Starts the real PostgreSQL and Redis the integration and e2e tiers need, migrates a
 * template database (each test file clones it), and publishes the addresses through
 * environment variables inherited by the Jest workers. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { findFreePort } from '../apps/api/src/database/free-port';
import { CHROMIUM, provisionSystemTools, REDIS_SERVER } from './support/system-packages.provisioner';
import { ENV, TEMPLATE_DB, TestServices, setTestServices } from './support/test-services';

const root = resolve(__dirname, '..');

export default async function globalSetup(): Promise<void> {
  // The unit tier needs no services: skip them when only unit tests were selected.
  const projects = selectedProjects(process.argv);
  if (projects.length > 0 && projects.every((p) => p === 'unit')) return;

  // First, before anything starts: a fresh machine gets its Debian packages here (or one clear
  // refusal naming the command to run), so the README's test command is the only step.
  const tools = [
    ...(process.env.REDIS_URL ? [] : [REDIS_SERVER]),
    ...(process.env.CHROMIUM_PATH || (projects.length > 0 && !projects.includes('e2e')) ? [] : [CHROMIUM]),
  ];
  const found = provisionSystemTools(tools);
  // The overlay editor test launches this Chromium (inherited by the Jest workers).
  if (found.has(CHROMIUM.command)) process.env.CHROMIUM_PATH = found.get(CHROMIUM.command);

  const distEmbedded = join(root, 'dist/apps/api/src/database/embedded-postgres.js');
  const services: TestServices = {};
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // The compiled (ESM) service code, loaded with require(esm): global setup runs outside Jest's module system.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startEmbeddedPostgres } = require(
      distEmbedded,
    ) as typeof import('../apps/api/src/database/embedded-postgres');
    const pg = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'behavior-test-pg-')),
      persistent: false,
      unsafeFast: true,
    });
    services.stopPostgres = pg.stop;
    adminUrl = pg.url;
  }
  process.env[ENV.adminUrl] = adminUrl;

  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await client.end();
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  const migrate = spawnSync(process.execPath, [join(root, 'dist/apps/api/src/cli/migrate.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: templateUrl },
    encoding: 'utf8',
  });
  if (migrate.status !== 0) throw new Error(`migrating the template database failed:\n${migrate.stderr}`);

  if (process.env.REDIS_URL) {
    process.env[ENV.redisUrl] = process.env.REDIS_URL;
  } else {
    const redisServer = found.get(REDIS_SERVER.command)!;
    const port = await findFreePort();
    const redis = spawn(
      redisServer,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
        detached: false,
      },
    );
    services.redisPid = redis.pid;
    await waitForPort(port);
    process.env[ENV.redisUrl] = `redis://127.0.0.1:${port}`;
  }
  setTestServices(services);
}

function selectedProjects(argv: string[]): string[] {
  const at = argv.indexOf('--selectProjects');
  if (at < 0) return [];
  const out: string[] = [];
  for (const arg of argv.slice(at + 1)) {
    if (arg.startsWith('-')) break;
    if (['unit', 'integration', 'e2e'].includes(arg)) out.push(arg);
    else break;
  }
  return out;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((r) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.end(), r(true)));
      sock.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}
