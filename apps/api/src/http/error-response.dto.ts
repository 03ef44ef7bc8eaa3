import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'attributes.contentId' }) path: string;
  @ApiProperty({ example: 'required' }) code: string;
  @ApiProperty() message: string;
}

export class ErrorResponseDto {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'Machine-readable reason', example: 'validation_failed' })
  code?: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] }) details?: ErrorDetailDto[];
}
