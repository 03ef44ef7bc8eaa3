import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNodeScript, STACK_FRAME } from '../../../test/support/node-script.process';

// Start-up refuses configuration that would do nothing or name what does not exist, before the
// database starts: the data directory stays empty and the message is the config error format.
describe('start-up with configuration that would do nothing (e2e)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-refusal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = (script: string, yaml: string) => {
    const file = join(dir, 'override.yaml');
    writeFileSync(file, yaml);
    const dataDir = join(dir, 'data');
    return runNodeScript(script, [], { BEHAVIOR_CONFIG: file, BEHAVIOR_DATA_DIR: dataDir });
  };

  it.each(['dist/apps/api/src/main.js', 'dist/apps/api/src/worker.js'])(
    '%s exits 78 naming a misspelt projector and strategy, without a stack trace or a database',
    async (script) => {
      const run = await start(
        script,
        'ai:\n  behavior:\n    metrics: { projectors: [engagment] }\n    segmentation: { strategy: treshold }\n',
      );
      expect(run.code).toBe(78);
      expect(run.stderr).toContain(
        'ai.behavior.metrics.projectors.0: unknown metric projector "engagment"; known: engagement',
      );
      expect(run.stderr).toContain(
        'ai.behavior.segmentation.strategy: unknown segmentation strategy "treshold"; known: threshold',
      );
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(readdirSync(dir)).toEqual(['override.yaml']);
    },
  );

  it('exits 78 when the openai-compatible embedding provider has no baseUrl', async () => {
    const run = await start(
      'dist/apps/api/src/main.js',
      'ai:\n  behavior:\n    embeddings: { provider: openai-compatible }\n',
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(
      'ai.behavior.embeddings.openaiCompatible.baseUrl: required by provider openai-compatible',
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(readdirSync(dir)).toEqual(['override.yaml']);
  });

  it.each(['dist/apps/api/src/main.js', 'dist/apps/api/src/worker.js'])(
    '%s exits 78 on an unknown sink type, a missing or unknown sink setting and the retired sink key',
    async (script) => {
      const run = await start(
        script,
        [
          'ai:',
          '  behavior:',
          '    sink: { type: kafka }',
          '    sinks:',
          '      - { name: lake, type: s4 }',
          '      - { name: events, type: kafka, topic: behavior }',
          "      - { name: stream, type: redis-streams, url: 'redis://127.0.0.1:6379', maxlen: 10 }",
          '      - { name: cold, type: s3, prefix: signals/ }',
          '',
        ].join('\n'),
      );
      expect(run.code).toBe(78);
      expect(run.stderr).toContain(
        'ai.behavior.sink: replaced by ai.behavior.sinks, a list of { name, type, ...settings } (docs/sinks.md); PostgreSQL is always the signal store',
      );
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(readdirSync(dir)).toEqual(['override.yaml']);
      // The tree is valid once the retired key goes: then every sink is checked against its type.
      const sinks = await start(
        script,
        [
          'ai:',
          '  behavior:',
          '    sinks:',
          '      - { name: lake, type: s4 }',
          '      - { name: events, type: kafka, topic: behavior }',
          "      - { name: stream, type: redis-streams, url: 'redis://127.0.0.1:6379', maxlen: 10 }",
          '      - { name: cold, type: s3, prefix: signals/ }',
          '',
        ].join('\n'),
      );
      expect(sinks.code).toBe(78);
      expect(sinks.stderr).toContain(
        'ai.behavior.sinks.0.type: unknown sink type "s4"; known: kafka, redis-streams, s3',
      );
      expect(sinks.stderr).toContain('ai.behavior.sinks.1.brokers: required by sink type "kafka"');
      expect(sinks.stderr).toContain(
        'ai.behavior.sinks.2.maxlen: unknown setting of sink type "redis-streams"',
      );
      expect(sinks.stderr).toContain('ai.behavior.sinks.3.bucket: required by sink type "s3"');
      expect(sinks.stderr).not.toMatch(STACK_FRAME);
      expect(readdirSync(dir)).toEqual(['override.yaml']);
    },
  );

  it('schema-doctor refuses an enabled embedding policy over a field that carries no text', async () => {
    writeFileSync(
      join(dir, 'notes.yaml'),
      [
        '- id: notes.text',
        '  domain: notes',
        '  version: 1',
        '  summary: A note',
        '  retentionDays: 30',
        '  pii: personal',
        '  attributes:',
        '    - { name: text, type: string, required: true }',
        '    - { name: stars, type: number }',
        '  embeddingPolicy: { enabled: true, fields: [stars] }',
        '  metricHints:',
        '    - { key: notes.count, aggregation: count }',
        '',
      ].join('\n'),
    );
    const run = await runNodeScript('dist/apps/api/src/cli/schema-doctor.js', ['--dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /notes\.text.*embeddingPolicy\.fields\[0\].*only string attributes carry text/,
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
