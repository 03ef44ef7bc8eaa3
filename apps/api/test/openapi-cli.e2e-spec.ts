import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript, STACK_FRAME } from '../../../test/support/node-script.process';
import { startTestApp, type TestApp } from '../../../test/support/test-app';

// `npm run openapi` on a fresh checkout: no DATABASE_URL, an empty data directory, nothing
// running. The written document must be the one the running service serves.
describe.each([
  ['add-ons off', '', {}],
  [
    'commerce add-on on',
    'ai:\n  behavior:\n    addOns:\n      commerce:\n        enabled: true\n',
    { ai: { behavior: { addOns: { commerce: { enabled: true } } } } },
  ],
])('npm run openapi without a database (%s)', (_name, yaml, overrides) => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-cli-'));
    t = await startTestApp({ overrides });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the document served at /docs-json, starting and dialling no database', async () => {
    const env: Record<string, string> = { BEHAVIOR_DATA_DIR: join(dir, 'data') };
    if (yaml) {
      writeFileSync(join(dir, 'override.yaml'), yaml);
      env.BEHAVIOR_CONFIG = join(dir, 'override.yaml');
    }
    const out = join(dir, 'openapi.json');
    const run = await runNodeScript('dist/apps/api/src/cli/openapi.js', ['--out', out], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*openapi\.json \(\d+ paths\)$/m);
    // The embedded cluster would have created the data directory.
    expect(readdirSync(dir).sort()).toEqual(yaml ? ['openapi.json', 'override.yaml'] : ['openapi.json']);

    const served = (await t.request('GET', '/docs-json')).body as object;
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(served);
  });
});

describe('npm run openapi arguments', () => {
  it('prints help and refuses an unknown option with the reason', async () => {
    const help = await runNodeScript('dist/apps/api/src/cli/openapi.js', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run openapi/);

    const bad = await runNodeScript('dist/apps/api/src/cli/openapi.js', ['--outt', 'x.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--outt'/);
    expect(bad.stderr).not.toMatch(STACK_FRAME);
  });
});
