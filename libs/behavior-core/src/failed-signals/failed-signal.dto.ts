import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { JSON_VALUE_SCHEMA } from '@lssm/nest-common';
import { SignalIssueDto } from '../ingestion/signal.dto.js';
import { DEFAULT_REPLAY_LIMIT, MAX_REPLAY_LIMIT } from './failed-signal-replay.service.js';

export class FailedSignalDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) schemaId: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) schemaVersion: number | null;
  @ApiProperty({ type: String, nullable: true }) signalKey: string | null;
  @ApiProperty({
    ...JSON_VALUE_SCHEMA,
    description:
      'The item as received; when it was larger than ai.behavior.ingestion.maxFailedPayloadBytes or not storable ' +
      'as JSON (NUL, lone surrogates, too deep), { truncated: true, originalBytes, preview } with the start of its JSON text',
  })
  payload: unknown;
  @ApiProperty({
    type: [SignalIssueDto],
    description: 'Why it was rejected; after a replay that failed again, why it fails now',
  })
  reasons: SignalIssueDto[];
  @ApiProperty({ format: 'date-time' }) failedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) replayedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The signal it became' })
  replayedSignalId: string | null;
}

export class FailedSignalPageDto {
  @ApiProperty({ type: [FailedSignalDto], description: 'Newest first' }) items: FailedSignalDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}

export class ReplayRequestDto {
  @ApiPropertyOptional({ example: 'content.view' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  // PostgreSQL text cannot hold U+0000; without this the filter failed as a database error.
  // eslint-disable-next-line no-control-regex -- U+0000 is exactly the character refused
  @Matches(/^[^\u0000]*$/, { message: 'schemaId must not contain U+0000' })
  schemaId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive, on failedAt' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive, on failedAt' })
  @IsOptional()
  @IsISO8601({ strict: true })
  end?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Only these failed signals' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_REPLAY_LIMIT)
  @IsUUID('all', { each: true })
  ids?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_REPLAY_LIMIT, default: DEFAULT_REPLAY_LIMIT })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REPLAY_LIMIT)
  limit?: number;
}

export class ReplayItemResultDto {
  @ApiProperty({ format: 'uuid' }) failedSignalId: string;
  @ApiProperty({
    enum: ['replayed', 'duplicate', 'still_failing'],
    description: 'duplicate: its signalKey was already stored; the row points at that signal',
  })
  status: 'replayed' | 'duplicate' | 'still_failing';
  @ApiPropertyOptional({ format: 'uuid' }) signalId?: string;
  @ApiPropertyOptional({ type: [SignalIssueDto] }) errors?: SignalIssueDto[];
}

export class ReplayResultDto {
  @ApiProperty() replayed: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() stillFailing: number;
  @ApiProperty({ type: [ReplayItemResultDto], description: 'Oldest first' }) results: ReplayItemResultDto[];
}
