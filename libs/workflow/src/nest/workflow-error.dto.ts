import { ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetailDto, ErrorResponseDto } from '@lssm/nest-common';

/** The service's detail shape `{ path, code, message }`, plus the fields that name the culprit. */
export class WorkflowErrorDetailDto extends ErrorDetailDto {
  @ApiPropertyOptional({ description: 'The extension at fault' }) extensionId?: string;
  @ApiPropertyOptional({ description: 'The step id the operation names' }) anchor?: string;
  @ApiPropertyOptional() operationIndex?: number;
  @ApiPropertyOptional({ description: 'The step a validation error is about' }) stepId?: string;
}

/** The service's one error shape, with workflow details. */
export class WorkflowErrorResponseDto extends ErrorResponseDto {
  // An initializer because TypeScript forbids decorating a `declare` field; never instantiated.
  @ApiPropertyOptional({ type: [WorkflowErrorDetailDto] }) override details?: WorkflowErrorDetailDto[] =
    undefined;
}
