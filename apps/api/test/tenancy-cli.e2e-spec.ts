import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript, STACK_FRAME } from '../../../test/support/node-script.process';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const CLI = 'dist/apps/api/src/cli/cli.js';

describe('npm run cli (compiled, as a child process)', () => {
  describe('without a database', () => {
    let dir: string;
    // No DATABASE_URL and an empty data directory: anything that opened the database would
    // start the embedded cluster there.
    const cli = (...args: string[]) => runNodeScript(CLI, args, { BEHAVIOR_DATA_DIR: join(dir, 'data') });

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tenancy-cli-'));
    });
    afterAll(() => {
      expect(readdirSync(dir)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    });

    it('--help lists every command on stdout and exits 0', async () => {
      const run = await cli('--help');
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      for (const command of ['tenants:create', 'tenants:list', 'keys:create', 'keys:revoke']) {
        expect(run.stdout).toContain(command);
      }
    });

    it('<command> --help shows that command', async () => {
      const run = await cli('keys:create', '--help');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^Usage: npm run cli -- keys:create --tenant <id> --scopes <ingest\|read\|admin\|overlay:resolve>/,
      );
    });

    it.each([
      [
        ['keys:create', '--tenant', 'acme', '--scopes', 'ingest,wrte'],
        'invalid scope "wrte"; valid scopes: ingest, read, admin',
      ],
      [['keys:create', '--tenant', 'acme'], '--scopes is missing; valid scopes: ingest, read, admin'],
      [['keys:create', '--scopes', 'read'], '--tenant <id> is missing'],
      [['tenants:create', 'Not Valid'], 'id must be lowercase letters, digits, _ or -, at most 63 chars'],
      [['tenants:create'], 'the tenant id is missing'],
      [['keys:revoke', 'abc'], 'key id "abc" is not a UUID'],
      [['keys:revoke'], 'the key id is missing'],
      [['tenants:list', 'extra'], 'unexpected argument "extra"'],
      [['tenants:list', '--tenant', 'acme'], 'tenants:list takes no --tenant'],
      [
        ['tenant:create', 'acme'],
        'unknown command "tenant:create"; commands: tenants:create, tenants:list, keys:create, keys:revoke',
      ],
      [['--verbose'], "Unknown option '--verbose'"],
      [[], 'no command given'],
    ])('%j is refused with its reason and exit 2', async (args, reason) => {
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error: ${reason}`);
      expect(run.stderr).toContain('Usage: npm run cli --');
      expect(run.stderr).not.toMatch(STACK_FRAME);
    });

    it('an invalid configuration is reported with its key path, exit 78', async () => {
      const run = await runNodeScript(CLI, ['tenants:list'], {
        PORT: 'eighty',
        BEHAVIOR_DATA_DIR: join(dir, 'data'),
      });
      expect(run.code).toBe(78);
      expect(run.stderr).toContain('server.port: must be integer');
      expect(run.stderr).not.toMatch(STACK_FRAME);
    });
  });

  describe('against a database', () => {
    let database: TestDatabase;
    const cli = (...args: string[]) => runNodeScript(CLI, args, { DATABASE_URL: database.url });

    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('creates a tenant and a key, lists and revokes', async () => {
      const created = await cli('tenants:create', 'cli-acme', '--name', 'CLI Acme');
      expect(created).toMatchObject({ code: 0, stdout: 'created tenant cli-acme\n' });
      expect((await cli('tenants:list')).stdout).toContain('cli-acme\tCLI Acme\n');
      const key = await cli('keys:create', '--tenant', 'cli-acme', '--scopes', 'ingest,read');
      expect(key.code).toBe(0);
      const id = /key id ([0-9a-f-]{36})/.exec(key.stdout)?.[1];
      expect(id).toBeDefined();
      expect(key.stdout.trim().split('\n').pop()).toMatch(/^bk_/);
      expect(await cli('keys:revoke', id!)).toMatchObject({ code: 0, stdout: `revoked key ${id}\n` });
    });

    it.each([
      [['tenants:create', 'cli-twice'], 'Tenant "cli-twice" already exists'],
      [
        ['keys:create', '--tenant', 'no-such-tenant', '--scopes', 'read'],
        'Tenant "no-such-tenant" not found',
      ],
      [
        ['keys:revoke', '00000000-0000-4000-8000-000000000000'],
        'no API key 00000000-0000-4000-8000-000000000000',
      ],
    ])('%j is refused by the data with its reason and exit 1', async (args, reason) => {
      await cli('tenants:create', 'cli-twice');
      const run = await cli(...args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`error: ${reason}`);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    });
  });
});
