import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, Length, Matches, MinDate } from 'class-validator';
import { OVERLAY_SIGNING_ALGORITHMS } from '../signing/overlay-signature.types.js';

export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export class CreateSigningKeyDto {
  @ApiProperty({ enum: OVERLAY_SIGNING_ALGORITHMS, example: 'ed25519' })
  @IsIn(OVERLAY_SIGNING_ALGORITHMS)
  algorithm: 'ed25519' | 'rsa-pss-sha256';

  @ApiPropertyOptional({
    example: 'acme-2026-01',
    description: 'Generated when absent',
    pattern: KEY_ID_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(KEY_ID_PATTERN, { message: 'keyId must match ' + KEY_ID_PATTERN.source })
  keyId?: string;

  @ApiPropertyOptional({
    description:
      'Import: a PEM (SPKI) public key; the server then only verifies, signing happens elsewhere. ' +
      'Absent: the server generates a key pair and keeps the private key encrypted.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  publicKey?: string;
}

export class RevokeSigningKeyDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description:
      'When the key stopped being trustworthy (default now; not in the future). Signatures dated at or after it are rejected.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  // Year 1 at the earliest: PostgreSQL's timestamptz cannot hold what a JavaScript Date can.
  @MinDate(new Date('0001-01-01T00:00:00Z'))
  revokedAt?: Date;
}

/** A key as the API shows it: public half only. There is deliberately no private-key field. */
export class SigningKeyDto {
  @ApiProperty() keyId: string;
  @ApiProperty({ enum: OVERLAY_SIGNING_ALGORITHMS }) algorithm: string;
  @ApiProperty({ description: 'PEM (SPKI)' }) publicKey: string;
  @ApiProperty({ description: 'Whether the server holds the private key and can sign with it' })
  canSign: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
}
