/**
 * Signal schema contract: the normalized shape of one schema definition as the
 * registry holds it (defaults filled in, already linted), plus the problem and
 * validation-error shapes the registry, the schema doctor and the HTTP layer share.
 */

export type SignalPiiLevel = 'none' | 'pseudonymous' | 'personal' | 'sensitive';
/** What ingestion does to an attribute marked `sensitive` before it is stored (docs/schemas.md#pii). */
export type PiiTreatment = 'drop' | 'hash' | 'encrypt';
export type AdditionalAttributesPolicy = 'reject' | 'allow';
export type MetricAggregation = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'distinct';
export type StringAttributeFormat = 'email' | 'uri' | 'uuid' | 'date-time';
export type AttributeType =
  'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'timestamp' | 'array' | 'object';
export type EnumAttributeValue = string | number;

interface AttributeShapeBase {
  readonly description?: string;
}

export interface StringAttributeShape extends AttributeShapeBase {
  readonly type: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  /** ECMAScript regular expression, compiled with the `u` flag (as Ajv does). */
  readonly pattern?: string;
  readonly format?: StringAttributeFormat;
}

export interface NumberAttributeShape extends AttributeShapeBase {
  readonly type: 'number' | 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface BooleanAttributeShape extends AttributeShapeBase {
  readonly type: 'boolean';
}

export interface EnumAttributeShape extends AttributeShapeBase {
  readonly type: 'enum';
  readonly values: readonly EnumAttributeValue[];
}

/** An ISO 8601 / RFC 3339 date-time string with a time zone offset. */
export interface TimestampAttributeShape extends AttributeShapeBase {
  readonly type: 'timestamp';
}

export interface ArrayAttributeShape extends AttributeShapeBase {
  readonly type: 'array';
  readonly items: AttributeShape;
  /** Required so that no signal can carry an unbounded list. */
  readonly maxItems: number;
  readonly minItems?: number;
}

export interface ObjectAttributeShape extends AttributeShapeBase {
  readonly type: 'object';
  readonly attributes: readonly AttributeDefinition[];
  /** Inherited from the enclosing object or definition when the YAML omits it. */
  readonly additionalAttributes: AdditionalAttributesPolicy;
  /** Members allowed when additional attributes are; defaults to DEFAULT_MAX_OBJECT_KEYS. */
  readonly maxAttributes?: number;
}

/** The type part of an attribute; array `items` use it without a name. */
export type AttributeShape =
  | StringAttributeShape
  | NumberAttributeShape
  | BooleanAttributeShape
  | EnumAttributeShape
  | TimestampAttributeShape
  | ArrayAttributeShape
  | ObjectAttributeShape;

export type AttributeDefinition = AttributeShape & {
  readonly name: string;
  readonly required: boolean;
  /** Set when the attribute is sensitive: its value is dropped, hashed or encrypted before storage. */
  readonly sensitive?: PiiTreatment;
};

export interface EmbeddingPolicy {
  readonly enabled: boolean;
  /** Texts shorter than this are not embedded. */
  readonly minLength?: number;
  /** Top-level string attributes whose text is embedded. */
  readonly fields?: readonly string[];
}

export interface MetricHint {
  readonly key: string;
  readonly aggregation: MetricAggregation;
  /** Attribute path (dots walk into object attributes); required unless aggregation is `count`. */
  readonly field?: string;
}

export interface SignalSchemaDefinition {
  readonly id: string;
  readonly domain: string;
  readonly version: number;
  readonly summary: string;
  readonly description?: string;
  readonly retentionDays: number;
  readonly pii: SignalPiiLevel;
  readonly additionalAttributes: AdditionalAttributesPolicy;
  /** Attributes allowed when additional ones are; defaults to DEFAULT_MAX_OBJECT_KEYS. */
  readonly maxAttributes?: number;
  readonly attributes: readonly AttributeDefinition[];
  readonly embeddingPolicy: EmbeddingPolicy;
  readonly metricHints: readonly MetricHint[];
}

/** One thing wrong with a schema file or definition, as the doctor and start-up report it. */
export interface SchemaProblem {
  /** Path of the YAML file, or the origin name of definitions contributed in code. */
  readonly file: string;
  readonly definitionId?: string;
  readonly version?: number;
  /** Dotted location inside the definition, e.g. `attributes.contentId.maxLength`. */
  readonly field?: string;
  /** 1-based line in the file when known. */
  readonly line?: number;
  readonly code: SchemaProblemCode;
  readonly message: string;
}

export type SchemaProblemCode =
  | 'directory_missing'
  | 'file_read'
  | 'yaml_syntax'
  | 'not_a_list'
  | 'invalid_type'
  | 'missing_key'
  | 'unknown_key'
  | 'invalid_value'
  | 'invalid_id'
  | 'invalid_name'
  | 'forbidden_attribute_name'
  | 'duplicate_attribute'
  | 'duplicate_definition'
  | 'duplicate_metric_key'
  | 'impossible_constraint'
  | 'limit_exceeded'
  | 'empty_enum'
  | 'duplicate_enum_value'
  | 'invalid_pattern'
  | 'unknown_field'
  | 'non_numeric_field'
  | 'non_string_field'
  | 'missing_field'
  | 'compile_failed'
  | 'free_text_not_sensitive';

/** One reason an incoming signal does not match its schema. */
export interface SignalValidationError {
  /** Envelope path: `schemaId`, `schemaVersion`, `attributes.items[2].sku`. */
  readonly path: string;
  readonly code: SignalValidationErrorCode;
  readonly message: string;
}

export type SignalValidationErrorCode =
  | 'unknown_schema'
  | 'unknown_version'
  | 'forbidden_key'
  | 'max_depth'
  | 'required'
  | 'type'
  | 'min_length'
  | 'max_length'
  | 'pattern'
  | 'format'
  | 'enum'
  | 'minimum'
  | 'maximum'
  | 'min_items'
  | 'max_items'
  | 'additional_property'
  | 'max_properties'
  | 'invalid';

export type SignalValidationResult =
  | { readonly ok: true; readonly definition: SignalSchemaDefinition }
  | {
      readonly ok: false;
      readonly errors: readonly SignalValidationError[];
      /** Present when the schema resolved and only the attributes failed. */
      readonly definition?: SignalSchemaDefinition;
    };

export interface SchemaListFilter {
  readonly domain?: string;
  readonly version?: number;
}
