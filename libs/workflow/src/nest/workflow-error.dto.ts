import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The service's detail shape `{ path, code, message }`, plus the fields that name the culprit. */
export class WorkflowErrorDetailDto {
  @ApiProperty({ example: 'extensions.acme-approval.operations[0]' }) path: string;
  @ApiProperty({ example: 'missing_anchor' }) code: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional({ description: 'The extension at fault' }) extensionId?: string;
  @ApiPropertyOptional({ description: 'The step id the operation names' }) anchor?: string;
  @ApiPropertyOptional() operationIndex?: number;
  @ApiPropertyOptional({ description: 'The step a validation error is about' }) stepId?: string;
}

/** The service's one error shape, with workflow details. */
export class WorkflowErrorResponseDto {
  @ApiProperty({ example: 422 }) statusCode: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error: string;
  @ApiProperty() message: string;
  @ApiProperty({ description: 'Machine-readable reason', example: 'missing_anchor' }) code: string;
  @ApiPropertyOptional({ type: [WorkflowErrorDetailDto] }) details?: WorkflowErrorDetailDto[];
}
