import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './load-config.js';

function workspace(override?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  mkdirSync(join(dir, 'config'));
  copyFileSync(resolve(__dirname, '../../../../config/default.yaml'), join(dir, 'config/default.yaml'));
  if (override !== undefined) writeFileSync(join(dir, 'override.yaml'), override);
  return dir;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the defaults, frozen', () => {
    const config = loadConfig({ rootDir: workspace(), env: {} });
    expect(config.server.port).toBe(3000);
    expect(config.database.url).toBeNull();
    expect(config.dataDir).toBe('.data');
    expect(config.ai.behavior.ingestion.maxBatchSize).toBe(500);
    expect(Object.isFrozen(config.ai.behavior.ingestion)).toBe(true);
  });

  it('merges BEHAVIOR_CONFIG over the defaults and the environment over both', () => {
    const dir = workspace(
      'server:\n  port: 4000\nai:\n  behavior:\n    ingestion:\n      maxBatchSize: 50\n',
    );
    const config = loadConfig({
      rootDir: dir,
      env: {
        BEHAVIOR_CONFIG: 'override.yaml',
        PORT: '5000',
        DATABASE_URL: 'postgres://u:p@h/db',
        REDIS_URL: 'redis://h:6379',
        BEHAVIOR_DATA_DIR: '/var/x',
        BEHAVIOR_ADMIN_KEY: 'a-long-enough-admin-key',
      },
    });
    expect(config.server.port).toBe(5000);
    expect(config.ai.behavior.ingestion.maxBatchSize).toBe(50);
    expect(config.ai.behavior.ingestion.maxClockSkewMs).toBe(300000);
    expect(config.database.url).toBe('postgres://u:p@h/db');
    expect(config.redis.url).toBe('redis://h:6379');
    expect(config.dataDir).toBe('/var/x');
    expect(config.admin.key).toBe('a-long-enough-admin-key');
  });

  it('names the path of an unknown key', () => {
    const dir = workspace('ai:\n  behavior:\n    ingestion:\n      maxBatchSise: 10\n');
    expect(problems(() => loadConfig({ rootDir: dir, env: { BEHAVIOR_CONFIG: 'override.yaml' } }))).toEqual([
      'ai.behavior.ingestion.maxBatchSise: unknown key',
    ]);
  });

  it('names the path and reason of a wrong value, reporting every problem', () => {
    const dir = workspace(
      "server:\n  port: -1\nai:\n  behavior:\n    processing:\n      role: both\n      patternDetection: { schedule: 'soon' }\n",
    );
    const found = problems(() => loadConfig({ rootDir: dir, env: { BEHAVIOR_CONFIG: 'override.yaml' } }));
    expect(found).toEqual(
      expect.arrayContaining([
        'server.port: must be >= 0',
        'ai.behavior.processing.role: must be equal to one of the allowed values',
        expect.stringMatching(/^ai\.behavior\.processing\.patternDetection\.schedule: must match pattern/),
      ]),
    );
  });

  it('rejects a bad environment value with the key it maps to', () => {
    expect(problems(() => loadConfig({ rootDir: workspace(), env: { PORT: 'eighty' } }))).toEqual([
      'server.port: must be integer',
    ]);
    expect(
      problems(() => loadConfig({ rootDir: workspace(), env: { DATABASE_URL: 'mysql://x' } }))[0],
    ).toMatch(/^database\.url: must match pattern/);
  });

  it('reports a missing or unparsable BEHAVIOR_CONFIG file', () => {
    expect(
      problems(() => loadConfig({ rootDir: workspace(), env: { BEHAVIOR_CONFIG: 'nope.yaml' } }))[0],
    ).toMatch(/nope\.yaml: file not found/);
    const dir = workspace('server: [unclosed');
    expect(
      problems(() => loadConfig({ rootDir: dir, env: { BEHAVIOR_CONFIG: 'override.yaml' } }))[0],
    ).toMatch(/override\.yaml: /);
  });
});
