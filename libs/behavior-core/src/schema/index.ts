export type {
  AdditionalAttributesPolicy,
  ArrayAttributeShape,
  AttributeDefinition,
  AttributeShape,
  AttributeType,
  BooleanAttributeShape,
  EmbeddingPolicy,
  EnumAttributeShape,
  EnumAttributeValue,
  MetricAggregation,
  MetricHint,
  NumberAttributeShape,
  ObjectAttributeShape,
  SchemaListFilter,
  SchemaProblem,
  SchemaProblemCode,
  SignalPiiLevel,
  SignalSchemaDefinition,
  SignalValidationError,
  SignalValidationErrorCode,
  SignalValidationResult,
  StringAttributeFormat,
  StringAttributeShape,
  TimestampAttributeShape,
} from '../contracts/signal-schema.js';
export { attributeToJsonSchema, type JsonSchemaObject } from './attribute-json-schema.mapper.js';
export { JSON_SCHEMA_DIALECT, jsonSchemaId, toJsonSchema } from './definition-json-schema.mapper.js';
export {
  formatOrigin,
  lintSchemaDefinitions,
  lintSchemaDirectory,
  mergeDefinitions,
  type SchemaLintResult,
  type SchemaOrigin,
} from './schema-doctor.js';
export { listSchemaFiles } from './schema-file.loader.js';
export { formatSchemaProblem, SchemaLoadError } from './schema-load.error.js';
export {
  ATTRIBUTE_NAME_PATTERN,
  FORBIDDEN_KEYS,
  MAX_ATTRIBUTE_DEPTH,
  SCHEMA_ID_PATTERN,
  schemaKey,
} from './schema-naming.rules.js';
export { loadSchemaRegistry } from './schema-registry.loader.js';
export { SchemaRegistry } from './schema-registry.js';
export { schemaSources, type SchemaSource } from './schema-source.js';
export { STARTER_SCHEMA_DIR } from './starter-schema-dir.js';
