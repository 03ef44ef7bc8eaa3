import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class UserInsightsQueryDto {
  @ApiPropertyOptional({ description: 'Only this insight type (e.g. `engagement`, `segment`)' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  insightType?: string;
}

export class UserInsightDto {
  @ApiProperty() insightType: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'snake_case score names, e.g. engagement_score',
  })
  scores: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: true }) labels: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) segment: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The numbers behind each score' })
  evidence: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) analyzedAt: string;
  @ApiProperty({ format: 'date-time' }) validUntil: string;
}

export class UserInsightsDto {
  @ApiProperty() userId: string;
  @ApiProperty({ type: [UserInsightDto] }) insights: UserInsightDto[];
}
