import { lintSchemaDirectory } from './schema-doctor.js';
import { loadSchemaRegistry } from './schema-registry.loader.js';
import { STARTER_SCHEMA_DIR } from './starter-schema-dir.js';

describe('the starter schema set', () => {
  it('lint without a single problem', () => {
    expect(lintSchemaDirectory(STARTER_SCHEMA_DIR).problems).toEqual([]);
  });

  const registry = loadSchemaRegistry(STARTER_SCHEMA_DIR);

  it('ship the documented set', () => {
    expect(registry.ids()).toEqual([
      'content.view',
      'feedback.text',
      'personalization.feature.usage',
      'personalization.field.access',
      'personalization.workflow.step',
      'search.query',
      'ui.click',
    ]);
  });

  it('each declare retention, PII level and at least one metric hint', () => {
    for (const definition of registry.list()) {
      expect(definition.retentionDays).toBeGreaterThan(0);
      expect(definition.metricHints.length).toBeGreaterThan(0);
      expect(definition.metricHints.some((hint) => hint.aggregation === 'count')).toBe(true);
    }
  });

  it('embed nothing (not implemented yet); feedback text is the prepared candidate', () => {
    expect(registry.list().filter((d) => d.embeddingPolicy.enabled)).toEqual([]);
    expect(registry.get('feedback.text')!.embeddingPolicy.fields).toEqual(['text']);
  });

  it.each([
    [
      'content.view',
      { contentId: 'article-42', durationSeconds: 31.5, device: 'web', referrer: 'https://example.com' },
    ],
    ['ui.click', { elementId: 'save-button', screen: '/settings', elementType: 'button', position: 0 }],
    [
      'search.query',
      {
        query: 'red shoes',
        resultCount: 12,
        filters: [{ field: 'colour', value: 'red' }],
        selectedPosition: 2,
      },
    ],
    ['feedback.text', { text: 'The export button is hard to find.', rating: 3, language: 'en-GB' }],
    [
      'personalization.field.access',
      { operation: 'invoice.edit', field: 'vatNumber', action: 'edited', role: 'clerk' },
    ],
    [
      'personalization.feature.usage',
      { feature: 'dashboard', action: 'opened', layout: 'compact', device: 'ios' },
    ],
    [
      'personalization.workflow.step',
      { workflow: 'onboarding', step: 'profile', status: 'completed', instanceId: 'wf-1', durationMs: 5300 },
    ],
  ])('accept a typical %s signal', (schemaId, attributes) => {
    const result = registry.validate(schemaId, undefined, attributes);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each([
    [
      'personalization.field.access',
      { operation: 'x', field: 'y', action: 'clicked' },
      'attributes.action',
      'enum',
    ],
    ['personalization.workflow.step', { workflow: 'x', step: 'y' }, 'attributes.status', 'required'],
    ['feedback.text', { text: '' }, 'attributes.text', 'min_length'],
    ['content.view', { contentId: 'a', referrer: 'not a uri' }, 'attributes.referrer', 'format'],
  ])('reject a broken %s signal', (schemaId, attributes, path, code) => {
    const result = registry.validate(schemaId, undefined, attributes);
    expect(result.ok ? [] : result.errors).toContainEqual(expect.objectContaining({ path, code }));
  });
});
