import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runNodeScript as run } from '../../../test/support/node-script.process';
import { startServiceProcess } from '../../../test/support/service-process';
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

const doctor = (args: string[] = [], env: Record<string, string> = {}) =>
  run('dist/apps/api/src/cli/schema-doctor.js', args, env);
const STARTER = resolve(__dirname, '../../../libs/behavior-core/schemas');
const COMMERCE_SCHEMA_DIR = resolve(__dirname, '../../../libs/behavior-commerce/schemas');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const MINE = `- id: mine.thing
  domain: mine
  version: 1
  summary: A user's own schema
  retentionDays: 30
  pii: none
  attributes:
    - { name: code, type: string, maxLength: 32 }
`;

// The starter set's content.view@1 again, in a user's directory.
const CONTENT_VIEW_AGAIN = `- id: content.view
  domain: content
  version: 1
  summary: Clashes with the starter set
  retentionDays: 30
  pii: none
  attributes:
    - { name: contentId, type: string, required: true }
`;

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

  it('succeeds on the layers the service loads by default (the starter set)', async () => {
    const result = await doctor();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\d+ definitions in \d+ files: OK/);
    expect(result.stdout).toContain(STARTER);
  });

  it("without --dir lints the enabled add-ons' directories and the configured ones too", async () => {
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'mine.yaml'), MINE);
    const config = join(dir, 'layers.yaml');
    writeFileSync(
      config,
      `ai:\n  behavior:\n    schemas:\n      path: [${JSON.stringify(mine)}]\n    addOns:\n      commerce:\n        enabled: true\n`,
    );
    const result = await doctor([], { BEHAVIOR_CONFIG: config });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(STARTER);
    expect(result.stdout).toContain(COMMERCE_SCHEMA_DIR);
    expect(result.stdout).toContain(mine);
  });

  it('warns, without failing, about free text in a schema with pii: none', async () => {
    const freeText = join(dir, 'free-text');
    mkdirSync(freeText);
    writeFileSync(
      join(freeText, 'notes.yaml'),
      `- id: notes.left
  domain: notes
  version: 1
  summary: A note was left
  retentionDays: 30
  pii: none
  attributes:
    - { name: body, type: string }
    - { name: secret, type: string, sensitive: drop }
    - { name: code, type: string, maxLength: 12 }
`,
    );
    const result = await doctor(['--dir', freeText]);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warning: .*notes\.yaml:1 notes\.left@1 attributes\.body: .*pii: none.*\[free_text_not_sensitive\]$/,
      ),
    ]);
    expect(result.stdout).toContain('OK with 1 warning');
  });

  it('refuses the same id and version in two layers, naming both files', async () => {
    const clash = join(dir, 'clash');
    mkdirSync(clash);
    writeFileSync(join(clash, 'again.yaml'), CONTENT_VIEW_AGAIN);
    const config = join(dir, 'clash.yaml');
    writeFileSync(config, `ai:\n  behavior:\n    schemas:\n      path: [${JSON.stringify(clash)}]\n`);
    const result = await doctor([], { BEHAVIOR_CONFIG: config });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[duplicate_definition]');
    expect(result.stderr).toContain(join(clash, 'again.yaml'));
    expect(result.stderr).toContain(join(STARTER, 'content.yaml'));
  });

  it('writes one JSON Schema per definition with --out, only when the schemas are sound', async () => {
    const out = join(dir, 'out');
    const result = await doctor(['--dir', STARTER, '--out', out]);
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
    const result = await doctor(['--dir', STARTER, '--dir', join(dir, 'missing')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[directory_missing]');
  });

  describe('service start-up', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    it('logs which schemas each layer loaded', async () => {
      const mine = join(dir, 'logged');
      mkdirSync(mine);
      writeFileSync(join(mine, 'mine.yaml'), MINE);
      const config = join(dir, 'logged-config.yaml');
      writeFileSync(config, `ai:\n  behavior:\n    schemas:\n      path: [${JSON.stringify(mine)}]\n`);
      const service = await startServiceProcess({
        BEHAVIOR_CONFIG: config,
        DATABASE_URL: database.url,
        BEHAVIOR_ADMIN_KEY: 'test-admin-key-0123456789abcdef',
      });
      try {
        const logs = service.logs.join('');
        expect(logs).toMatch(
          new RegExp(`\\d+ schemas from starter \\(${escape(STARTER)}\\): [^"]*content\\.view@1`),
        );
        expect(logs).toContain(`1 schema from config (${mine}): mine.thing@1`);
      } finally {
        service.child.kill('SIGTERM');
        await service.exited;
      }
    });

    it('a broken schema file stops start-up with file, id, field and reason', async () => {
      const config = join(dir, 'broken-config.yaml');
      writeFileSync(config, `ai:\n  behavior:\n    schemas:\n      path: [${JSON.stringify(broken)}]\n`);
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
