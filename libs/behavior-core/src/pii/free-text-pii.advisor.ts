import type {
  AttributeDefinition,
  AttributeShape,
  SchemaProblem,
  SignalSchemaDefinition,
} from '../contracts/signal-schema.js';
import { schemaKey } from '../schema/schema-naming.rules.js';

/** A string longer than this, or unbounded, with no format or pattern, may hold anything a person types. */
export const FREE_TEXT_MIN_LENGTH = 64;

/**
 * Advice of the schema doctor (not a start-up problem): a schema declared `pii: none` whose
 * free-text attributes are not marked sensitive, since such text often carries names, emails
 * or worse whatever the schema author expected.
 */
export function freeTextPiiFindings(
  definitions: readonly SignalSchemaDefinition[],
  originOf: (definition: SignalSchemaDefinition) => { readonly file: string; readonly line?: number },
): SchemaProblem[] {
  const findings: SchemaProblem[] = [];
  for (const definition of definitions) {
    if (definition.pii !== 'none') continue;
    for (const field of freeTextFields(definition.attributes, 'attributes')) {
      findings.push({
        ...originOf(definition),
        definitionId: definition.id,
        version: definition.version,
        field,
        code: 'free_text_not_sensitive',
        message: `${field} of ${schemaKey(definition.id, definition.version)} is free text (a string without format, pattern or maxLength <= ${FREE_TEXT_MIN_LENGTH}) in a schema with pii: none; mark it sensitive (drop | hash | encrypt), bound it, or raise the schema's pii class`,
      });
    }
  }
  return findings;
}

function freeTextFields(attributes: readonly AttributeDefinition[], prefix: string): string[] {
  return attributes.flatMap((attribute) =>
    attribute.sensitive ? [] : shapeFields(attribute, `${prefix}.${attribute.name}`),
  );
}

function shapeFields(shape: AttributeShape, field: string): string[] {
  if (shape.type === 'string') return isFreeText(shape) ? [field] : [];
  if (shape.type === 'object') return freeTextFields(shape.attributes, field);
  if (shape.type === 'array') return shapeFields(shape.items, `${field}.items`);
  return [];
}

function isFreeText(shape: Extract<AttributeShape, { type: 'string' }>): boolean {
  return (
    shape.format === undefined &&
    shape.pattern === undefined &&
    (shape.maxLength === undefined || shape.maxLength > FREE_TEXT_MIN_LENGTH)
  );
}
