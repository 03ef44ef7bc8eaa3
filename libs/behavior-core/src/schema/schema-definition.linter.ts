import type {
  AdditionalAttributesPolicy,
  AttributeDefinition,
  EmbeddingPolicy,
  MetricAggregation,
  MetricHint,
  SignalPiiLevel,
  SignalSchemaDefinition,
} from '../contracts/signal-schema.js';
import { lintAttributeList } from './attribute-definition.linter.js';
import { SchemaKeyReader } from './schema-key.reader.js';
import {
  childScope,
  describeType,
  isPlainMapping,
  LintContext,
  type LintFinding,
  type LintScope,
  ROOT_SCOPE,
} from './schema-lint.context.js';
import {
  DOMAIN_PATTERN,
  METRIC_KEY_PATTERN,
  SCHEMA_ID_MAX_LENGTH,
  SCHEMA_ID_PATTERN,
} from './schema-naming.rules.js';
import { MAX_OBJECT_KEYS } from './attribute-limits.js';

const DEFINITION_KEYS = [
  'id',
  'domain',
  'version',
  'summary',
  'description',
  'retentionDays',
  'pii',
  'additionalAttributes',
  'maxAttributes',
  'attributes',
  'embeddingPolicy',
  'metricHints',
];
const PII_LEVELS: readonly SignalPiiLevel[] = ['none', 'pseudonymous', 'personal', 'sensitive'];
const POLICIES: readonly AdditionalAttributesPolicy[] = ['reject', 'allow'];
const AGGREGATIONS: readonly MetricAggregation[] = ['count', 'sum', 'avg', 'min', 'max', 'distinct'];
const NUMERIC_AGGREGATIONS: ReadonlySet<MetricAggregation> = new Set(['sum', 'avg', 'min', 'max']);

export interface DefinitionLintResult {
  /** Set only when the definition has no problem at all. */
  readonly definition?: SignalSchemaDefinition;
  /** Best-effort identity for problem reports, even when the definition is broken. */
  readonly id?: string;
  readonly version?: number;
  readonly findings: readonly LintFinding[];
}

/** Lints one raw definition (a parsed YAML mapping or an object from code) and normalizes it. */
export function lintSchemaDefinition(raw: unknown, scope: LintScope = ROOT_SCOPE): DefinitionLintResult {
  const ctx = new LintContext();
  if (!isPlainMapping(raw)) {
    ctx.report(scope, 'invalid_type', `a schema definition must be a mapping, got ${describeType(raw)}`);
    return { findings: ctx.findings };
  }
  const reader = new SchemaKeyReader(ctx, raw, scope);
  reader.rejectUnknownKeys(DEFINITION_KEYS, 'a schema definition');

  const id = reader.string('id', true);
  if (id !== undefined && (!SCHEMA_ID_PATTERN.test(id) || id.length > SCHEMA_ID_MAX_LENGTH)) {
    ctx.report(
      reader.scopeOf('id'),
      'invalid_id',
      `id "${id}" must be dotted lowercase segments like "content.view" (pattern ${SCHEMA_ID_PATTERN.source}, at most ${SCHEMA_ID_MAX_LENGTH} characters)`,
    );
  }
  const domain = reader.string('domain', true);
  if (domain !== undefined && !DOMAIN_PATTERN.test(domain)) {
    ctx.report(
      reader.scopeOf('domain'),
      'invalid_value',
      `domain "${domain}" must match ${DOMAIN_PATTERN.source}`,
    );
  }
  const version = reader.integer('version', true, 1);
  const summary = reader.string('summary', true);
  const description = reader.string('description', false);
  const retentionDays = reader.integer('retentionDays', true, 1);
  const pii = reader.oneOf('pii', true, PII_LEVELS);
  const additionalAttributes = reader.oneOf('additionalAttributes', false, POLICIES) ?? 'reject';
  const maxAttributes = reader.integer('maxAttributes', false, 1, MAX_OBJECT_KEYS);
  const rawAttributes = reader.list('attributes', true);
  const attributes = rawAttributes
    ? lintAttributeList(ctx, rawAttributes, reader.scopeOf('attributes'), additionalAttributes)
    : [];
  // Attributes that failed lint are already reported; do not report references to them again.
  const brokenNames = new Set(
    (rawAttributes ?? []).flatMap((entry) =>
      isPlainMapping(entry) && typeof entry.name === 'string' ? [entry.name] : [],
    ),
  );
  for (const attribute of attributes) brokenNames.delete(attribute.name);
  const embeddingPolicy = lintEmbeddingPolicy(ctx, reader, attributes, brokenNames);
  const metricHints = lintMetricHints(ctx, reader, attributes, brokenNames);

  const identity = { ...(id !== undefined ? { id } : {}), ...(version !== undefined ? { version } : {}) };
  if (ctx.findings.length > 0) return { ...identity, findings: ctx.findings };
  const definition: SignalSchemaDefinition = {
    id: id!,
    domain: domain!,
    version: version!,
    summary: summary!,
    ...(description !== undefined ? { description } : {}),
    retentionDays: retentionDays!,
    pii: pii!,
    additionalAttributes,
    ...(maxAttributes !== undefined ? { maxAttributes } : {}),
    attributes,
    embeddingPolicy,
    metricHints,
  };
  return { ...identity, definition: deepFreeze(definition), findings: [] };
}

function lintEmbeddingPolicy(
  ctx: LintContext,
  parent: SchemaKeyReader,
  attributes: readonly AttributeDefinition[],
  brokenNames: ReadonlySet<string>,
): EmbeddingPolicy {
  const raw = parent.submapping('embeddingPolicy', false);
  if (!raw) return { enabled: false };
  const reader = new SchemaKeyReader(ctx, raw, parent.scopeOf('embeddingPolicy'));
  reader.rejectUnknownKeys(['enabled', 'minLength', 'fields'], 'embeddingPolicy');
  const enabled = reader.boolean('enabled', true) ?? false;
  const minLength = reader.integer('minLength', false, 0);
  const list = reader.list('fields', false);
  const fields: string[] = [];
  list?.forEach((field, index) => {
    const scope = childScope(reader.scopeOf('fields'), index);
    if (typeof field !== 'string') {
      ctx.report(
        scope,
        'invalid_type',
        `embedding fields must be attribute names, got ${describeType(field)}`,
      );
      return;
    }
    const attribute = attributes.find((candidate) => candidate.name === field);
    if (brokenNames.has(field)) return;
    if (!attribute) {
      ctx.report(scope, 'unknown_field', `embedding field "${field}" is not an attribute of this schema`);
    } else if (attribute.type !== 'string') {
      ctx.report(
        scope,
        'non_string_field',
        `embedding field "${field}" is ${attribute.type}; only string attributes carry text`,
      );
    } else {
      fields.push(field);
    }
  });
  if (enabled && (!list || list.length === 0)) {
    ctx.report(
      reader.scopeOf('fields'),
      'missing_key',
      'an enabled embeddingPolicy must name the text "fields" to embed',
    );
  }
  return {
    enabled,
    ...(minLength !== undefined ? { minLength } : {}),
    ...(list ? { fields } : {}),
  };
}

function lintMetricHints(
  ctx: LintContext,
  parent: SchemaKeyReader,
  attributes: readonly AttributeDefinition[],
  brokenNames: ReadonlySet<string>,
): MetricHint[] {
  const list = parent.list('metricHints', false);
  if (!list) return [];
  const listScope = parent.scopeOf('metricHints');
  const seenKeys = new Set<string>();
  const hints: MetricHint[] = [];
  list.forEach((entry, index) => {
    const scope = childScope(listScope, index);
    if (!isPlainMapping(entry)) {
      ctx.report(scope, 'invalid_type', `a metric hint must be a mapping, got ${describeType(entry)}`);
      return;
    }
    const reader = new SchemaKeyReader(ctx, entry, scope);
    reader.rejectUnknownKeys(['key', 'aggregation', 'field'], 'a metric hint');
    const key = reader.string('key', true);
    if (key !== undefined && !METRIC_KEY_PATTERN.test(key)) {
      ctx.report(
        reader.scopeOf('key'),
        'invalid_value',
        `metric key "${key}" must match ${METRIC_KEY_PATTERN.source}`,
      );
    } else if (key !== undefined && seenKeys.has(key)) {
      ctx.report(
        reader.scopeOf('key'),
        'duplicate_metric_key',
        `metric key "${key}" appears twice in this schema`,
      );
    }
    if (key !== undefined) seenKeys.add(key);
    const aggregation = reader.oneOf('aggregation', true, AGGREGATIONS);
    const field = reader.string('field', false);
    if (aggregation !== undefined && aggregation !== 'count' && field === undefined && !reader.has('field')) {
      ctx.report(
        reader.scopeOf('field'),
        'missing_field',
        `aggregation "${aggregation}" needs a "field" to aggregate`,
      );
    }
    if (field !== undefined && !brokenNames.has(field.split('.')[0]!)) {
      const attribute = resolveAttributePath(attributes, field);
      if (!attribute) {
        ctx.report(
          reader.scopeOf('field'),
          'unknown_field',
          `metric field "${field}" is not an attribute of this schema`,
        );
      } else if (aggregation && NUMERIC_AGGREGATIONS.has(aggregation) && !isNumeric(attribute)) {
        ctx.report(
          reader.scopeOf('field'),
          'non_numeric_field',
          `aggregation "${aggregation}" needs a number or integer attribute, "${field}" is ${attribute.type}`,
        );
      }
    }
    if (key !== undefined && aggregation !== undefined) {
      hints.push({ key, aggregation, ...(field !== undefined ? { field } : {}) });
    }
  });
  return hints;
}

/** Dots walk into object attributes (`cart.total`); arrays are not addressable by a metric field. */
function resolveAttributePath(
  attributes: readonly AttributeDefinition[],
  path: string,
): AttributeDefinition | undefined {
  let current: readonly AttributeDefinition[] | undefined = attributes;
  let found: AttributeDefinition | undefined;
  for (const segment of path.split('.')) {
    if (!current) return undefined;
    found = current.find((attribute) => attribute.name === segment);
    if (!found) return undefined;
    current = found.type === 'object' ? found.attributes : undefined;
  }
  return found;
}

function isNumeric(attribute: AttributeDefinition): boolean {
  return attribute.type === 'number' || attribute.type === 'integer';
}

/** Registry consumers share definitions; freezing stops one caller mutating another's view. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
