import { ApiProperty } from '@nestjs/swagger';

const STATUSES = ['queued', 'running', 'completed', 'failed'];

export class ErasureAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'Poll GET /api/ai-behavior/erasures/{erasureId}' })
  erasureId: string;
  @ApiProperty({ enum: STATUSES }) status: string;
}

export class ErasureDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ enum: ['user', 'tenant'], description: 'A user erasure or a tenant deletion' })
  kind: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Keyed HMAC of the user id (as in the suppression list); never the id itself',
  })
  userHash: string | null;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty({ description: 'Id of the API key that asked, or "admin-key"' }) requestedBy: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Rows removed per table, and per erasure hook as hook:<name>',
    example: { behavior_signals: 1200, behavior_signal_keys: 40, 'hook:commerce': 2 },
  })
  counts: Record<string, number>;
  @ApiProperty({ description: 'Runs that worked on it (a restart resumes where the last stopped)' })
  attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  error: string | null;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class SuppressionDto {
  @ApiProperty({ description: 'Keyed HMAC of the suppressed user id' }) userHash: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The erasure that listed it' })
  erasureId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SuppressionPageDto {
  @ApiProperty({ type: [SuppressionDto], description: 'Ordered by userHash' }) items: SuppressionDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `after` for the next page' })
  nextAfter: string | null;
}
