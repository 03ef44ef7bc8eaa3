import type { SignalSchemaDefinition } from '../contracts/signal-schema.js';
import { attributeListToJsonSchema, type JsonSchemaObject } from './attribute-json-schema.mapper.js';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export function jsonSchemaId(id: string, version: number): string {
  return `urn:lssm:schema:${id}:${version}`;
}

/**
 * The standalone JSON Schema for a definition's `attributes` object. The
 * registry compiles exactly this, so the export and the validator cannot drift.
 */
export function toJsonSchema(definition: SignalSchemaDefinition): JsonSchemaObject {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: jsonSchemaId(definition.id, definition.version),
    title: definition.summary,
    description: definition.description ?? definition.summary,
    ...attributeListToJsonSchema(
      definition.attributes,
      definition.additionalAttributes,
      definition.maxAttributes,
    ),
  };
}
