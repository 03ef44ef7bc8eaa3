import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'attributes.contentId' }) path: string;
  @ApiProperty({ example: 'required' }) code: string;
  @ApiProperty() message: string;
}

/** The API's one error body; libraries with richer details extend it (see the workflow library). */
export class ErrorResponseDto {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error: string;
  @ApiProperty() message: string;
  // Always sent: the exception filter falls back to a code per status.
  @ApiProperty({ description: 'Machine-readable reason', example: 'validation_failed' }) code: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] }) details?: ErrorDetailDto[];
}
