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

  it('reads the PII keys (hash secret also from BEHAVIOR_PII_HASH_SECRET) and refuses malformed ones', () => {
    const defaults = loadConfig({ rootDir: workspace(), env: {} }).ai.behavior.privacy;
    expect(defaults).toEqual({
      hashSecret: null,
      encryption: { activeKeyId: null, keys: {} },
      suppression: { mode: 'refuse' },
      erasure: { schedule: '* * * * *', chunkSize: 5000 },
    });
    const secret = 's'.repeat(32);
    const fromEnv = loadConfig({ rootDir: workspace(), env: { BEHAVIOR_PII_HASH_SECRET: secret } });
    expect(fromEnv.ai.behavior.privacy.hashSecret).toBe(secret);
    const bad = workspace(
      'ai:\n  behavior:\n    privacy:\n      hashSecret: short\n      encryption:\n        keys: { "a:b": "x" }\n',
    );
    const found = problems(() => loadConfig({ rootDir: bad, env: { BEHAVIOR_CONFIG: 'override.yaml' } }));
    expect(found.join('\n')).toMatch(/ai\.behavior\.privacy\.hashSecret/);
    expect(found.join('\n')).toMatch(/ai\.behavior\.privacy\.encryption\.keys/);
    const mode = workspace('ai:\n  behavior:\n    privacy:\n      suppression:\n        mode: drop\n');
    expect(
      problems(() => loadConfig({ rootDir: mode, env: { BEHAVIOR_CONFIG: 'override.yaml' } })).join('\n'),
    ).toMatch(/ai\.behavior\.privacy\.suppression\.mode/);
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
        'ai.behavior.processing.role: must be one of "api", "worker", "all"',
        expect.stringMatching(/^ai\.behavior\.processing\.patternDetection\.schedule: must match pattern/),
      ]),
    );
  });

  it('refuses an ingestion reserve that leaves nothing of the pool for reads and jobs', () => {
    const dir = workspace('database:\n  poolSize: 4\n  ingestReserved: 4\n');
    expect(problems(() => loadConfig({ rootDir: dir, env: { BEHAVIOR_CONFIG: 'override.yaml' } }))).toEqual([
      'database.ingestReserved: 4 must be below database.poolSize (4), or nothing is left for reads and jobs',
    ]);
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

  describe('ai.behavior.sinks', () => {
    const load =
      (yaml: string, options: Parameters<typeof loadConfig>[0] = {}) =>
      () =>
        loadConfig({ rootDir: workspace(yaml), env: { BEHAVIOR_CONFIG: 'override.yaml' }, ...options });
    const sinks = (...lines: string[]) => ['ai:', '  behavior:', '    sinks:', ...lines].join('\n') + '\n';

    it('is empty by default and accepts core sinks with their settings', () => {
      expect(loadConfig({ rootDir: workspace(), env: {} }).ai.behavior.sinks).toEqual([]);
      const config = load(
        sinks(
          "      - { name: stream, type: redis-streams, url: 'redis://127.0.0.1:6390', stream: 'b:{tenant}', maxLen: 1000 }",
          "      - { name: events, type: kafka, brokers: ['k1:9092', 'k2:9092'], topic: behavior, batchSize: 200, failureWarningMs: 5000 }",
        ),
      )();
      expect(config.ai.behavior.sinks.map((s) => `${s.name}:${s.type}`)).toEqual([
        'stream:redis-streams',
        'events:kafka',
      ]);
    });

    it('refuses the retired ai.behavior.sink key, saying what replaced it', () => {
      expect(problems(load('ai:\n  behavior:\n    sink: { type: postgres }\n'))).toEqual([
        'ai.behavior.sink: replaced by ai.behavior.sinks, a list of { name, type, ...settings } (docs/sinks.md); PostgreSQL is always the signal store',
      ]);
    });

    it('names the path and the reason of an unknown type, a missing or unknown setting, a reused name', () => {
      expect(
        problems(
          load(
            sinks(
              '      - { name: a, type: kafak }',
              '      - { name: b, type: kafka, topic: behavior }',
              "      - { name: c, type: redis-streams, url: 'redis://x:1', maxlen: 5 }",
              "      - { name: c, type: kafka, brokers: ['k:9092'], topic: 'not a topic', acks: 1 }",
            ),
          ),
        ),
      ).toEqual([
        'ai.behavior.sinks.0.type: unknown sink type "kafak"; known: kafka, redis-streams, s3',
        'ai.behavior.sinks.1.brokers: required by sink type "kafka"',
        'ai.behavior.sinks.2.maxlen: unknown setting of sink type "redis-streams"',
        'ai.behavior.sinks.3.name: "c" is already the name of ai.behavior.sinks.2',
        'ai.behavior.sinks.3.acks: unknown setting of sink type "kafka"',
        'ai.behavior.sinks.3.topic: must match pattern "^[A-Za-z0-9._-]{1,249}$"',
      ]);
    });

    it('accepts an s3 sink and names the path and reason of a missing bucket or an unknown setting', () => {
      const ok = load(
        sinks(
          "      - { name: lake, type: s3, bucket: behavior, prefix: signals/, endpoint: 'http://127.0.0.1:4569', forcePathStyle: true, credentials: { accessKeyId: x, secretAccessKey: y }, flush: { maxBytes: 8388608, maxAgeMs: 10000 } }",
        ),
      )();
      expect(ok.ai.behavior.sinks.map((s) => `${s.name}:${s.type}`)).toEqual(['lake:s3']);
      expect(
        problems(
          load(
            sinks(
              '      - { name: a, type: s3, prefix: signals/ }',
              '      - { name: b, type: s3, bucket: behavior, pathStyle: true }',
              '      - { name: c, type: s3, bucket: behavior, flush: { maxBytes: 10, maxAge: 5 } }',
              '      - { name: d, type: s3, bucket: behavior, credentials: { accessKeyId: x } }',
            ),
          ),
        ),
      ).toEqual([
        'ai.behavior.sinks.0.bucket: required by sink type "s3"',
        'ai.behavior.sinks.1.pathStyle: unknown setting of sink type "s3"',
        'ai.behavior.sinks.2.flush.maxAge: unknown setting of sink type "s3"',
        'ai.behavior.sinks.2.flush.maxBytes: must be >= 1024',
        'ai.behavior.sinks.3.credentials.secretAccessKey: required by sink type "s3"',
      ]);
    });

    it('checks the common keys with the rest of the tree', () => {
      expect(problems(load(sinks('      - { name: Bad Name, type: kafka, batchSize: 0 }')))).toEqual([
        'ai.behavior.sinks.0.name: must match pattern "^[a-z][a-z0-9_.-]{0,62}$"',
        'ai.behavior.sinks.0.batchSize: must be >= 1',
      ]);
    });

    it('needs a url for redis-streams unless redis.url is set', () => {
      const entry = sinks('      - { name: stream, type: redis-streams }');
      expect(problems(load(entry))).toEqual([
        'ai.behavior.sinks.0.url: required when redis.url (REDIS_URL) is not set',
      ]);
      expect(
        load(entry, { env: { BEHAVIOR_CONFIG: 'override.yaml', REDIS_URL: 'redis://r:6379' } })(),
      ).toBeTruthy();
    });

    it("accepts a type the host registers once it declares the name (its settings are the provider's to check)", () => {
      const entry = sinks('      - { name: mine, type: memory, capacity: 10 }');
      expect(problems(load(entry))).toEqual([
        'ai.behavior.sinks.0.type: unknown sink type "memory"; known: kafka, redis-streams, s3',
      ]);
      expect(
        load(entry, { hostExtensions: { signalSinkTypes: ['memory'] } })().ai.behavior.sinks,
      ).toHaveLength(1);
    });
  });

  describe('extension names are checked before anything starts', () => {
    const load = (yaml: string) => () =>
      loadConfig({ rootDir: workspace(yaml), env: { BEHAVIOR_CONFIG: 'override.yaml' } });

    it('names the path, the unknown name and the known ones, for every kind at once', () => {
      expect(
        problems(
          load(
            [
              'ai:',
              '  behavior:',
              '    metrics: { projectors: [engagement, engagment] }',
              '    insights: { strategies: [engagemnt] }',
              '    segmentation: { strategy: treshold }',
            ].join('\n'),
          ),
        ),
      ).toEqual([
        'ai.behavior.metrics.projectors.1: unknown metric projector "engagment"; known: engagement',
        'ai.behavior.insights.strategies.0: unknown insight strategy "engagemnt"; known: engagement',
        'ai.behavior.segmentation.strategy: unknown segmentation strategy "treshold"; known: threshold',
      ]);
    });

    it("knows an add-on's names only while it is enabled", () => {
      const listing = 'metrics: { projectors: [engagement, commerce-revenue] }';
      expect(problems(load(`ai:\n  behavior:\n    ${listing}\n`))).toEqual([
        'ai.behavior.metrics.projectors.1: unknown metric projector "commerce-revenue"; known: engagement',
      ]);
      const config = load(
        `ai:\n  behavior:\n    ${listing}\n    insights: { strategies: [commerce, engagement] }\n    addOns: { commerce: { enabled: true } }\n`,
      )();
      expect(config.ai.behavior.metrics.projectors).toEqual(['engagement', 'commerce-revenue']);
    });

    it("checks the commerce add-on's segmentation fallback", () => {
      expect(
        problems(
          load(
            'ai:\n  behavior:\n    addOns: { commerce: { enabled: true, segmentation: { fallback: commerce } } }\n',
          ),
        ),
      ).toEqual([
        'ai.behavior.addOns.commerce.segmentation.fallback: unknown segmentation strategy "commerce"; known: threshold',
      ]);
    });
  });
});
