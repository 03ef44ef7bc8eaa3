import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript, STACK_FRAME } from '../../../test/support/node-script.process';

// The maintenance commands answer help and refuse bad arguments before touching a database.
describe('migrate and signal-replay arguments (compiled, as child processes)', () => {
  let dir: string;
  const run = (script: string, ...args: string[]) =>
    runNodeScript(`dist/apps/api/src/cli/${script}.js`, args, { BEHAVIOR_DATA_DIR: join(dir, 'data') });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'maintenance-cli-'));
  });
  afterAll(() => {
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['migrate', /^Usage: npm run migrate/],
    ['signal-replay', /^Usage: npm run signal-replay -- --tenant <id>/],
  ])('%s --help prints its usage and exits 0', async (script, usage) => {
    const result = await run(script, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(usage);
  });

  it.each([
    [[], '--tenant <id> is missing'],
    [['--tenant', 'acme', '--from', '2026-1-5'], '--from "2026-1-5" is not a date (YYYY-MM-DD)'],
    [['--tenant', 'acme', '--since', '2026-01-05'], "Unknown option '--since'"],
  ])('signal-replay %j is refused with its reason and exit 2', async (args, reason) => {
    const result = await run('signal-replay', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${reason}`);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });
});
