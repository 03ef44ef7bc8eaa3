import type {
  AdditionalAttributesPolicy,
  AttributeDefinition,
  AttributeShape,
  AttributeType,
  EnumAttributeValue,
  PiiTreatment,
  StringAttributeFormat,
} from '../contracts/signal-schema.js';
import { SchemaKeyReader } from './schema-key.reader.js';
import {
  childScope,
  describeType,
  isPlainMapping,
  type LintContext,
  type LintScope,
} from './schema-lint.context.js';
import { ATTRIBUTE_NAME_PATTERN, FORBIDDEN_KEYS } from './schema-naming.rules.js';
import { MAX_ARRAY_ITEMS_CEILING, MAX_OBJECT_KEYS } from './attribute-limits.js';

const ATTRIBUTE_TYPES: readonly AttributeType[] = [
  'string',
  'number',
  'integer',
  'boolean',
  'enum',
  'timestamp',
  'array',
  'object',
];
const STRING_FORMATS: readonly StringAttributeFormat[] = ['email', 'uri', 'uuid', 'date-time'];
const POLICIES: readonly AdditionalAttributesPolicy[] = ['reject', 'allow'];

/** Keys each type accepts besides the common ones; anything else is an unknown key. */
const TYPE_KEYS: Record<AttributeType, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  boolean: [],
  enum: ['values'],
  timestamp: [],
  array: ['items', 'maxItems', 'minItems'],
  object: ['attributes', 'additionalAttributes', 'maxAttributes'],
};
const NAMED_KEYS = ['name', 'type', 'required', 'description', 'sensitive'];
const PII_TREATMENTS: readonly PiiTreatment[] = ['drop', 'hash', 'encrypt'];
const ITEM_KEYS = ['type', 'description'];

/**
 * Lints an attribute list (top level or nested object) and returns the
 * attributes that are sound; broken ones are reported and left out.
 */
export function lintAttributeList(
  ctx: LintContext,
  value: unknown[],
  scope: LintScope,
  inheritedPolicy: AdditionalAttributesPolicy,
): AttributeDefinition[] {
  const result: AttributeDefinition[] = [];
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const name = isPlainMapping(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    // Label by name, not index: `attributes.contentId.maxLength` is what an author searches for.
    const entryScope = childScope(scope, index, name);
    const attribute = lintNamedAttribute(ctx, entry, entryScope, inheritedPolicy);
    if (name !== undefined && seen.has(name)) {
      ctx.report(entryScope, 'duplicate_attribute', `attribute "${name}" is defined more than once`);
      return;
    }
    if (name !== undefined) seen.add(name);
    if (attribute) result.push(attribute);
  });
  return result;
}

function lintNamedAttribute(
  ctx: LintContext,
  entry: unknown,
  scope: LintScope,
  inheritedPolicy: AdditionalAttributesPolicy,
): AttributeDefinition | undefined {
  if (!isPlainMapping(entry)) {
    ctx.report(scope, 'invalid_type', `an attribute must be a mapping, got ${describeType(entry)}`);
    return undefined;
  }
  const reader = new SchemaKeyReader(ctx, entry, scope);
  const before = ctx.findings.length;
  const name = reader.string('name', true);
  if (name !== undefined) {
    if (FORBIDDEN_KEYS.has(name)) {
      ctx.report(reader.scopeOf('name'), 'forbidden_attribute_name', `attribute name "${name}" is forbidden`);
    } else if (!ATTRIBUTE_NAME_PATTERN.test(name)) {
      ctx.report(
        reader.scopeOf('name'),
        'invalid_name',
        `attribute name "${name}" must match ${ATTRIBUTE_NAME_PATTERN.source}`,
      );
    }
  }
  const required = reader.boolean('required', false) ?? false;
  const sensitive = reader.oneOf('sensitive', false, PII_TREATMENTS);
  const shape = lintShape(ctx, reader, NAMED_KEYS, inheritedPolicy);
  if (!shape || name === undefined || ctx.findings.length > before) return undefined;
  return { name, required, ...shape, ...(sensitive ? { sensitive } : {}) } as AttributeDefinition;
}

function lintItems(
  ctx: LintContext,
  entry: unknown,
  scope: LintScope,
  inheritedPolicy: AdditionalAttributesPolicy,
): AttributeShape | undefined {
  if (!isPlainMapping(entry)) {
    ctx.report(scope, 'invalid_type', `"items" must be a mapping with a type, got ${describeType(entry)}`);
    return undefined;
  }
  return lintShape(ctx, new SchemaKeyReader(ctx, entry, scope), ITEM_KEYS, inheritedPolicy);
}

function lintShape(
  ctx: LintContext,
  reader: SchemaKeyReader,
  commonKeys: readonly string[],
  inheritedPolicy: AdditionalAttributesPolicy,
): AttributeShape | undefined {
  const type = reader.oneOf('type', true, ATTRIBUTE_TYPES);
  if (type === undefined) {
    return undefined;
  }
  reader.rejectUnknownKeys([...commonKeys, ...TYPE_KEYS[type]], `a ${type} attribute`);
  const before = ctx.findings.length;
  const description = reader.string('description', false);
  const base = description !== undefined ? { description } : {};
  let shape: AttributeShape | undefined;
  switch (type) {
    case 'string':
      shape = { ...base, type, ...lintStringConstraints(ctx, reader) };
      break;
    case 'number':
    case 'integer': {
      const minimum = reader.number('minimum', false);
      const maximum = reader.number('maximum', false);
      checkOrder(ctx, reader, 'minimum', minimum, 'maximum', maximum);
      shape = { ...base, type, ...defined({ minimum, maximum }) };
      break;
    }
    case 'boolean':
    case 'timestamp':
      shape = { ...base, type };
      break;
    case 'enum':
      shape = { ...base, type, values: lintEnumValues(ctx, reader) ?? [] };
      break;
    case 'array': {
      const maxItems = reader.integer('maxItems', true, 1, MAX_ARRAY_ITEMS_CEILING);
      const minItems = reader.integer('minItems', false, 0);
      checkOrder(ctx, reader, 'minItems', minItems, 'maxItems', maxItems);
      const rawItems = reader.raw('items');
      const items =
        rawItems === undefined || rawItems === null
          ? (ctx.report(reader.scopeOf('items'), 'missing_key', '"items" is required'), undefined)
          : lintItems(ctx, rawItems, reader.scopeOf('items'), inheritedPolicy);
      if (items && maxItems !== undefined) {
        shape = { ...base, type, items, maxItems, ...defined({ minItems }) };
      }
      break;
    }
    case 'object': {
      const policy = reader.oneOf('additionalAttributes', false, POLICIES) ?? inheritedPolicy;
      const list = reader.list('attributes', true);
      const attributes = list ? lintAttributeList(ctx, list, reader.scopeOf('attributes'), policy) : [];
      const maxAttributes = reader.integer('maxAttributes', false, 1, MAX_OBJECT_KEYS);
      shape = { ...base, type, attributes, additionalAttributes: policy, ...defined({ maxAttributes }) };
      break;
    }
  }
  return ctx.findings.length > before ? undefined : shape;
}

function lintStringConstraints(ctx: LintContext, reader: SchemaKeyReader) {
  const minLength = reader.integer('minLength', false, 0);
  const maxLength = reader.integer('maxLength', false, 0);
  checkOrder(ctx, reader, 'minLength', minLength, 'maxLength', maxLength);
  const pattern = reader.string('pattern', false, false);
  if (pattern !== undefined) {
    try {
      // Ajv compiles patterns with the `u` flag, so check them the same way.
      new RegExp(pattern, 'u');
    } catch (error) {
      ctx.report(
        reader.scopeOf('pattern'),
        'invalid_pattern',
        `"pattern" is not a valid regular expression: ${(error as Error).message}`,
      );
    }
  }
  const format = reader.oneOf('format', false, STRING_FORMATS);
  return defined({ minLength, maxLength, pattern, format });
}

function lintEnumValues(ctx: LintContext, reader: SchemaKeyReader): EnumAttributeValue[] | undefined {
  const values = reader.list('values', true);
  if (!values) return undefined;
  const scope = reader.scopeOf('values');
  if (values.length === 0) {
    ctx.report(scope, 'empty_enum', '"values" must list at least one value');
    return undefined;
  }
  const seen = new Set<EnumAttributeValue>();
  values.forEach((value, index) => {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      ctx.report(
        childScope(scope, index),
        'invalid_type',
        `enum values must be strings or numbers, got ${describeType(value)}`,
      );
    } else if (seen.has(value)) {
      ctx.report(
        childScope(scope, index),
        'duplicate_enum_value',
        `enum value ${JSON.stringify(value)} is listed twice`,
      );
    } else {
      seen.add(value);
    }
  });
  return values as EnumAttributeValue[];
}

function checkOrder(
  ctx: LintContext,
  reader: SchemaKeyReader,
  lowKey: string,
  low: number | undefined,
  highKey: string,
  high: number | undefined,
): void {
  if (low !== undefined && high !== undefined && low > high) {
    ctx.report(
      reader.scopeOf(lowKey),
      'impossible_constraint',
      `"${lowKey}" (${low}) is greater than "${highKey}" (${high}); no value can match`,
    );
  }
}

/** Drops undefined members so normalized definitions carry only keys that were set. */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(values) as [keyof T, T[keyof T]][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}
