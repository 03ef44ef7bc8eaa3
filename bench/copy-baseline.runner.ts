import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { v7 as uuidv7 } from 'uuid';
import { cpuSeconds } from './process-cpu.meter.js';
import {
  attributesJson,
  SCHEMA_ID,
  SCHEMA_VERSION,
  sessionOf,
  SOURCE,
  userOf,
} from './signal-payload.factory.js';

const COLUMNS =
  'id, tenant_id, user_id, session_id, schema_id, schema_version, signal_key, source, occurred_at, ingested_at, attributes';

export interface CopyResult {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** CPU seconds of PostgreSQL (postmaster and backends) and of psql during the load. */
  readonly postgresCpu: number;
  readonly psqlCpu: number;
}

/** Writes `rows` signals as a COPY text file: the same columns and attributes the service stores. */
export async function writeCopyFile(
  path: string,
  tenantId: string,
  prefix: string,
  rows: number,
): Promise<void> {
  const out = createWriteStream(path);
  const now = new Date().toISOString();
  const chunk: string[] = [];
  for (let n = 0; n < rows; n++) {
    chunk.push(
      `${uuidv7()}\t${tenantId}\t${userOf(n)}\t${sessionOf(n)}\t${SCHEMA_ID}\t${SCHEMA_VERSION}\t${prefix}-${n}\t${SOURCE}\t${now}\t${now}\t${attributesJson(n)}\n`,
    );
    if (chunk.length === 10_000 || n === rows - 1) {
      if (!out.write(chunk.join(''))) await once(out, 'drain');
      chunk.length = 0;
    }
  }
  out.end();
  await once(out, 'finish');
}

/**
 * `psql \copy` of the file into behavior_signals: one client stream, one transaction, the
 * table's indexes and defaults as the service has them. This is the machine's physical limit
 * for getting these rows into this table; the wall time includes psql start and connect (~20 ms).
 */
export async function runPsqlCopy(options: {
  psql: string;
  databaseUrl: string;
  file: string;
  rows: number;
  postmasterPid: number;
}): Promise<CopyResult> {
  if (!existsSync(options.psql)) {
    throw new Error(
      `${options.psql} not found: install the Debian package postgresql-client (or set BENCH_PSQL)`,
    );
  }
  const pgBefore = cpuSeconds(options.postmasterPid, true);
  const started = performance.now();
  const child = spawn(
    options.psql,
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-d',
      options.databaseUrl,
      '-c',
      `\\copy behavior_signals (${COLUMNS}) from '${options.file}'`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  // Sampled while it runs: once psql has exited its /proc entry is gone.
  let psqlCpu = 0;
  const sampler = setInterval(() => (psqlCpu = Math.max(psqlCpu, cpuSeconds(child.pid!))), 50);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const postgresCpu = cpuSeconds(options.postmasterPid, true) - pgBefore;
  if (code !== 0) throw new Error(`psql \\copy failed (${code}): ${output}`);
  rmSync(options.file, { force: true });
  return { rows: options.rows, seconds, rowsPerSecond: options.rows / seconds, postgresCpu, psqlCpu };
}
