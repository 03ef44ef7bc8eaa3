import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// OpenAPI shapes only: the hot path validates with compiled Ajv validators.
export class SignalEnvelopeDto {
  @ApiProperty({ example: 'content.view' }) schemaId: string;
  @ApiPropertyOptional({ description: 'Defaults to the latest version of the schema', example: 1 })
  schemaVersion?: number;
  @ApiPropertyOptional({
    description: 'Idempotency key: a repeat with the same (schemaId, signalKey) is stored once',
  })
  signalKey?: string;
  @ApiPropertyOptional({ description: 'One of userId or sessionId is required' }) userId?: string;
  @ApiPropertyOptional() sessionId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When it happened; defaults to now' })
  timestamp?: string;
  @ApiPropertyOptional({ example: 'web' }) source?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Validated against the schema' })
  attributes: Record<string, unknown>;
}

export class SignalBatchDto {
  @ApiProperty({
    type: [SignalEnvelopeDto],
    description: 'At most ai.behavior.ingestion.maxBatchSize (default 500)',
  })
  signals: SignalEnvelopeDto[];
}

export class SignalIssueDto {
  @ApiProperty({ example: 'attributes.contentId' }) path: string;
  @ApiProperty({ example: 'required' }) code: string;
  @ApiProperty() message: string;
}

export class SignalAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['accepted', 'duplicate'] }) status: 'accepted' | 'duplicate';
}

export class BatchItemResultDto {
  @ApiProperty() index: number;
  @ApiProperty({ enum: ['accepted', 'duplicate', 'rejected'] }) status: 'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ type: [SignalIssueDto], description: 'The first 20 problems of a rejected item' })
  errors?: SignalIssueDto[];
  @ApiPropertyOptional({ description: 'Total problems of the item, present when errors lists fewer' })
  errorCount?: number;
}

export class BatchResultDto {
  @ApiProperty() accepted: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ type: [BatchItemResultDto] }) results: BatchItemResultDto[];
}
