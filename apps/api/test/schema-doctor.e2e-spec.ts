import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript as run } from '../../../test/support/node-script.process';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

// minLength above maxLength: no value could ever match.
const BROKEN = `- id: shop.broken
  domain: shop
  version: 1
  summary: Broken on purpose
  retentionDays: 30
  pii: none
  attributes:
    - { name: code, type: string, minLength: 10, maxLength: 2 }
`;

const doctor = (args: string[] = []) => run('dist/apps/api/src/cli/schema-doctor.js', args);

describe('schema-doctor CLI and start-up with broken schemas (e2e)', () => {
  let dir: string;
  let broken: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schema-doctor-'));
    broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'shop.yaml'), BROKEN);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on a broken schema dir naming file, definition id, field and reason', async () => {
    const result = await doctor(['--dir', broken]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(broken, 'shop.yaml'));
    expect(result.stderr).toContain('shop.broken@1');
    expect(result.stderr).toContain('attributes.code.minLength');
    expect(result.stderr).toMatch(/greater than "maxLength".*\[impossible_constraint\]/);
  });

  it('succeeds on the shipped config/schemas (the configured path)', async () => {
    const result = await doctor();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\d+ definitions in \d+ files: OK/);
  });

  it('writes one JSON Schema per definition with --out, only when the schemas are sound', async () => {
    const out = join(dir, 'out');
    const result = await doctor(['--dir', 'config/schemas', '--out', out]);
    expect(result.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(
      expect.arrayContaining(['content.view.v1.json', 'personalization.field.access.v1.json']),
    );
    const view = JSON.parse(readFileSync(join(out, 'content.view.v1.json'), 'utf8'));
    expect(view).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:lssm:schema:content.view:1',
      type: 'object',
      required: ['contentId'],
    });

    const none = join(dir, 'none');
    const failing = await doctor(['--dir', broken, '--out', none]);
    expect(failing.code).toBe(1);
    expect(() => readdirSync(none)).toThrow();
  });

  it('lints several directories together and reports a missing one', async () => {
    const result = await doctor(['--dir', 'config/schemas', '--dir', join(dir, 'missing')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[directory_missing]');
  });

  describe('service start-up', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('a broken schema file stops start-up with file, id, field and reason', async () => {
      const config = join(dir, 'broken-config.yaml');
      writeFileSync(config, `ai:\n  behavior:\n    schemas:\n      path: ${JSON.stringify(broken)}\n`);
      const result = await run('dist/apps/api/src/main.js', [], {
        BEHAVIOR_CONFIG: config,
        DATABASE_URL: database.url,
        BEHAVIOR_ADMIN_KEY: 'test-admin-key-0123456789abcdef',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      });
      expect(result.code).toBe(78);
      expect(result.stdout).not.toMatch(/listening/);
      expect(result.stderr).toContain(join(broken, 'shop.yaml'));
      expect(result.stderr).toContain('shop.broken@1');
      expect(result.stderr).toContain('attributes.code.minLength');
      expect(result.stderr).toContain('[impossible_constraint]');
      expect(result.stderr).not.toMatch(/^\s+at /m);
    });
  });
});
