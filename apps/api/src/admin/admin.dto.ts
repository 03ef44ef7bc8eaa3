import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { SCOPES, type Scope } from '@lssm/nest-common';

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, {
    message: 'id must be lowercase letters, digits, _ or -, at most 63 chars',
  })
  id: string;

  @ApiPropertyOptional({ example: 'Acme Corp' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class TenantDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** An origin as browsers send it: scheme, host, optional port; no path, no trailing slash. */
export const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;
export const API_KEY_TYPES = ['secret', 'publishable'] as const;

export class CreateApiKeyDto {
  @ApiPropertyOptional({
    enum: API_KEY_TYPES,
    default: 'secret',
    description:
      '`publishable` (prefix `pk_`): safe in a web page; ingest-only, accepted only from `allowedOrigins`.',
  })
  @IsOptional()
  @IsIn(API_KEY_TYPES)
  type?: (typeof API_KEY_TYPES)[number];

  @ApiPropertyOptional({
    enum: SCOPES,
    isArray: true,
    example: ['ingest', 'read'],
    description: 'Required for a secret key. A publishable key is always `["ingest"]`.',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.type !== 'publishable' || o.scopes !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SCOPES, { each: true })
  scopes?: Scope[];

  @ApiPropertyOptional({
    type: [String],
    example: ['https://app.example'],
    description: 'Publishable keys only (required): the `Origin` values a request must carry.',
  })
  @ValidateIf((o: CreateApiKeyDto) => o.type === 'publishable' || o.allowedOrigins !== undefined)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @Matches(ORIGIN_PATTERN, {
    each: true,
    message: 'each allowedOrigins entry must be an origin like https://app.example',
  })
  allowedOrigins?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['content.view'],
    description:
      'Publishable keys only (optional): the schema ids its signals may name; others are refused per item.',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  allowedSchemas?: string[];
}

export class CreatedApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The plain key. Shown once; only its hash is stored.' }) key: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes: Scope[];
  @ApiProperty({ enum: API_KEY_TYPES }) type: (typeof API_KEY_TYPES)[number];
  @ApiProperty({ type: [String], nullable: true }) allowedOrigins: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) allowedSchemas: string[] | null;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ description: 'Non-secret part of the key, to recognise it' }) prefix: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes: Scope[];
  @ApiProperty({ enum: API_KEY_TYPES }) type: (typeof API_KEY_TYPES)[number];
  @ApiProperty({ type: [String], nullable: true }) allowedOrigins: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) allowedSchemas: string[] | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
}

/** Most rows one admin list answers with; the next page starts `after` the last id returned. */
export const MAX_ADMIN_PAGE = 1000;

export class AdminListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ADMIN_PAGE, default: MAX_ADMIN_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ADMIN_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The id of the last row of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  after?: string;
}
