import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
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

export class CreateApiKeyDto {
  @ApiProperty({ enum: SCOPES, isArray: true, example: ['ingest', 'read'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SCOPES, { each: true })
  scopes: Scope[];
}

export class CreatedApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The plain key. Shown once; only its hash is stored.' }) key: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes: Scope[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() tenantId: string;
  @ApiProperty({ description: 'Non-secret part of the key, to recognise it' }) prefix: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes: Scope[];
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
