import type {
  AdditionalAttributesPolicy,
  AttributeDefinition,
  AttributeShape,
} from '../contracts/signal-schema.js';

import { DEFAULT_MAX_OBJECT_KEYS } from './attribute-limits.js';

export type JsonSchemaObject = Record<string, unknown>;

/** Maps one attribute type to its JSON Schema (draft 2020-12) fragment. */
export function attributeToJsonSchema(shape: AttributeShape): JsonSchemaObject {
  const schema = shapeSchema(shape);
  if (shape.description !== undefined) schema.description = shape.description;
  return schema;
}

/** The object schema for an attribute list; used for the top level and for nested objects. */
export function attributeListToJsonSchema(
  attributes: readonly AttributeDefinition[],
  additionalAttributes: AdditionalAttributesPolicy,
  maxAttributes?: number,
): JsonSchemaObject {
  const properties: Record<string, JsonSchemaObject> = {};
  const required: string[] = [];
  for (const attribute of attributes) {
    properties[attribute.name] = attributeToJsonSchema(attribute);
    if (attribute.required) required.push(attribute.name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: additionalAttributes === 'allow',
    // Free-form objects are bounded too; a closed object is bounded by its attribute list.
    ...(additionalAttributes === 'allow'
      ? { maxProperties: Math.max(maxAttributes ?? DEFAULT_MAX_OBJECT_KEYS, attributes.length) }
      : {}),
  };
}

function shapeSchema(shape: AttributeShape): JsonSchemaObject {
  switch (shape.type) {
    case 'string':
      return pick({ type: 'string' }, shape, ['minLength', 'maxLength', 'pattern', 'format']);
    case 'number':
    case 'integer':
      return pick({ type: shape.type }, shape, ['minimum', 'maximum']);
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { enum: [...shape.values] };
    case 'timestamp':
      return { type: 'string', format: 'date-time' };
    case 'array':
      return pick({ type: 'array', items: attributeToJsonSchema(shape.items) }, shape, [
        'minItems',
        'maxItems',
      ]);
    case 'object':
      return attributeListToJsonSchema(shape.attributes, shape.additionalAttributes, shape.maxAttributes);
  }
}

function pick<T extends object>(
  target: JsonSchemaObject,
  source: T,
  keys: readonly (keyof T & string)[],
): JsonSchemaObject {
  for (const key of keys) {
    if (source[key] !== undefined) target[key] = source[key];
  }
  return target;
}
