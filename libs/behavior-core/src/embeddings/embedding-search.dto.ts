import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';

export const DEFAULT_SEARCH_TOP_K = 10;
export const MAX_SEARCH_TOP_K = 100;
export const MAX_SEARCH_TEXT_LENGTH = 8192;
export const MAX_SEARCH_VECTOR_LENGTH = 8192;

export class EmbeddingSearchRequestDto {
  @ApiPropertyOptional({
    example: "can't log in",
    maxLength: MAX_SEARCH_TEXT_LENGTH,
    description: 'Embedded with the configured provider; give either text or vector',
  })
  @IsOptional()
  @IsString()
  @Length(1, MAX_SEARCH_TEXT_LENGTH)
  text?: string;

  @ApiPropertyOptional({
    type: [Number],
    maxItems: MAX_SEARCH_VECTOR_LENGTH,
    description: "A query vector of the provider's dimensions; give either text or vector",
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_SEARCH_VECTOR_LENGTH)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  vector?: number[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_SEARCH_TOP_K, default: DEFAULT_SEARCH_TOP_K })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_TOP_K)
  topK?: number;

  @ApiPropertyOptional({ example: 'feedback.text' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  schemaId?: string;

  @ApiPropertyOptional({ example: 'text', description: 'The embedded attribute' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  field?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 256)
  userId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: "Inclusive, on the signal's timestamp" })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: "Exclusive, on the signal's timestamp" })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class EmbeddingSearchHitDto {
  @ApiProperty({ format: 'uuid' })
  signalId!: string;

  @ApiProperty({ type: String, nullable: true })
  userId!: string | null;

  @ApiProperty({ example: 'feedback.text' })
  schemaId!: string;

  @ApiProperty({ example: 'text' })
  field!: string;

  @ApiProperty({ description: 'Cosine similarity, -1 to 1 (higher is nearer)', example: 0.82 })
  score!: number;
}

export class EmbeddingSearchResponseDto {
  @ApiProperty({ type: [EmbeddingSearchHitDto], description: 'Nearest first' })
  results!: EmbeddingSearchHitDto[];
}
