import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from '../../../test/support/node-script.process';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const CHILD = resolve(__dirname, 'fixtures/tracker-node.child.mjs');
const COUNT = 100;

interface Child {
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(line: string): Promise<void>;
  kill(): void;
}

function runChild(args: string[]): Child {
  const child = spawn(process.execPath, [CHILD, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ line: string; ok: () => void }> = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    for (const line of c.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.line === line)) w.ok();
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => ok({ code, signal })),
  );
  return {
    lines,
    exited,
    kill: () => child.kill('SIGKILL'),
    waitFor: (line) =>
      new Promise<void>((ok, fail) => {
        if (lines.includes(line)) return ok();
        waiters.push({ line, ok });
        void exited.then(() =>
          fail(new Error(`child exited before "${line}": ${lines.join(' | ')} ${stderr}`)),
        );
      }),
  };
}

describe('tracker in Node: kill -9 mid-flush with a file store, restart (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.database.url });
    await db.connect();
    key = await createTenantWithKey(t, 'node-app', ['ingest']);
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const stored = async () =>
    (
      await db.query(
        `select count(*)::int as n, count(distinct attributes->>'contentId')::int as distinct_ids
           from behavior_signals where tenant_id = 'node-app'`,
      )
    ).rows[0] as { n: number; distinct_ids: number };

  it('ends with every event stored exactly once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tracker-node-')), 'queue.json');

    const first = runChild(['first', t.baseUrl, key, file, String(COUNT), '3']);
    await first.waitFor('PERSISTED');
    // The server has stored batch 3, but the process dies before the tracker could take it off its queue.
    await first.waitFor('HOLD');
    first.kill();
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(first.lines).not.toContain('FLUSHED');
    expect(await stored()).toEqual({ n: 60, distinct_ids: 60 });
    // Saves trail the sends, so the file may still hold acknowledged batches; never fewer than batch 3 on.
    const left = JSON.parse(readFileSync(file, 'utf8')) as Array<{ attributes: { contentId: string } }>;
    expect(left.length).toBeGreaterThanOrEqual(COUNT - 40);
    expect(left.at(-1)!.attributes.contentId).toBe(`node-${COUNT - 1}`);

    const second = runChild(['resume', t.baseUrl, key, file]);
    await second.waitFor('DONE 0');
    expect((await second.exited).code).toBe(0);
    // Batch 3 (at least) went out again and the server answered it as duplicates.
    expect(second.lines.filter((l) => l.startsWith('BATCH')).length).toBe(Math.ceil(left.length / 20));
    expect(await stored()).toEqual({ n: COUNT, distinct_ids: COUNT });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([]);
    expect(second.lines.filter((l) => l.startsWith('DROPPED'))).toEqual([]);
  });
});
