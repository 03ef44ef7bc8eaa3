import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// OpenAPI shapes of the schema registry (contracts/signal-schema.ts), for generated clients.
const ATTRIBUTE_TYPES = ['string', 'number', 'integer', 'boolean', 'enum', 'timestamp', 'array', 'object'];

/** The type part of an attribute; which constraints appear depends on `type`. */
export class AttributeShapeDto {
  @ApiProperty({ enum: ATTRIBUTE_TYPES }) type: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ description: 'string' }) minLength?: number;
  @ApiPropertyOptional({ description: 'string' }) maxLength?: number;
  @ApiPropertyOptional({ description: 'string: ECMAScript regular expression (u flag)' }) pattern?: string;
  @ApiPropertyOptional({ enum: ['email', 'uri', 'uuid', 'date-time'], description: 'string' })
  format?: string;
  @ApiPropertyOptional({ description: 'number, integer' }) minimum?: number;
  @ApiPropertyOptional({ description: 'number, integer' }) maximum?: number;
  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    description: 'enum',
  })
  values?: (string | number)[];
  @ApiPropertyOptional({ type: () => AttributeShapeDto, description: 'array: the element type' })
  items?: AttributeShapeDto;
  @ApiPropertyOptional({ description: 'array' }) maxItems?: number;
  @ApiPropertyOptional({ description: 'array' }) minItems?: number;
  @ApiPropertyOptional({ type: () => [AttributeDefinitionDto], description: 'object' })
  attributes?: AttributeDefinitionDto[];
  @ApiPropertyOptional({ enum: ['reject', 'allow'], description: 'object' }) additionalAttributes?: string;
  @ApiPropertyOptional({ description: 'object: members allowed with additional attributes (default 256)' })
  maxAttributes?: number;
}

export class AttributeDefinitionDto extends AttributeShapeDto {
  @ApiProperty({ example: 'contentId' }) name: string;
  @ApiProperty() required: boolean;
  @ApiPropertyOptional({
    enum: ['drop', 'hash', 'encrypt'],
    description: 'set on a sensitive attribute: what ingestion does to its value before storing it',
  })
  sensitive?: string;
}

export class EmbeddingPolicyDto {
  @ApiProperty() enabled: boolean;
  @ApiPropertyOptional() minLength?: number;
  @ApiPropertyOptional({ type: [String] }) fields?: string[];
}

export class MetricHintDto {
  @ApiProperty({ example: 'engagement.view' }) key: string;
  @ApiProperty({ enum: ['count', 'sum', 'avg', 'min', 'max', 'distinct'] }) aggregation: string;
  @ApiPropertyOptional({ description: 'Attribute path; absent for count' }) field?: string;
}

export class SignalSchemaDto {
  @ApiProperty({ example: 'content.view' }) id: string;
  @ApiProperty({ example: 'media' }) domain: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() summary: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty() retentionDays: number;
  @ApiProperty({ enum: ['none', 'pseudonymous', 'personal', 'sensitive'] }) pii: string;
  @ApiProperty({ enum: ['reject', 'allow'] }) additionalAttributes: string;
  @ApiPropertyOptional({ description: 'Attributes allowed with additionalAttributes: allow (default 256)' })
  maxAttributes?: number;
  @ApiProperty({ type: [AttributeDefinitionDto] }) attributes: AttributeDefinitionDto[];
  @ApiProperty({ type: EmbeddingPolicyDto }) embeddingPolicy: EmbeddingPolicyDto;
  @ApiProperty({ type: [MetricHintDto] }) metricHints: MetricHintDto[];
}

export class SignalSchemaListDto {
  @ApiProperty({ type: [SignalSchemaDto], description: 'Sorted by id, then version' })
  items: SignalSchemaDto[];
}

export class SignalSchemaVersionDto extends SignalSchemaDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "JSON Schema (draft 2020-12) of the signal's attributes, as the validator compiles it",
  })
  jsonSchema: Record<string, unknown>;
}

export class SignalSchemaVersionsDto {
  @ApiProperty({ example: 'content.view' }) id: string;
  @ApiProperty({ description: 'Applies when a signal names no schemaVersion' }) latestVersion: number;
  @ApiProperty({ type: [SignalSchemaVersionDto], description: 'Ascending versions' })
  versions: SignalSchemaVersionDto[];
}
