import { ApiProperty } from '@nestjs/swagger';

// OpenAPI shapes of the read API. The tenant is implied by the API key, so it is not repeated.
export class BehaviorSignalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) userId: string | null;
  @ApiProperty({ type: String, nullable: true }) sessionId: string | null;
  @ApiProperty({ example: 'content.view' }) schemaId: string;
  @ApiProperty({ example: 1 }) schemaVersion: number;
  @ApiProperty({ type: String, nullable: true }) signalKey: string | null;
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it happened' }) timestamp: string;
  @ApiProperty({ format: 'date-time', description: 'When it was stored' }) ingestedAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes: Record<string, unknown>;
}

export class BehaviorSignalPageDto {
  @ApiProperty({ type: [BehaviorSignalDto], description: 'Newest first' }) items: BehaviorSignalDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}
