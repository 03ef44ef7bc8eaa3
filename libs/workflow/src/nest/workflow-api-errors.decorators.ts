import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { WorkflowErrorResponseDto } from './workflow-error.dto.js';

/**
 * Documents an endpoint's error statuses with the error schema, so generated clients get a
 * typed error per status: `ApiWorkflowErrors({ 404: 'Unknown workflow', 422: '…' })`.
 */
export const ApiWorkflowErrors = (statuses: Partial<Record<400 | 404 | 409 | 422, string>>) =>
  applyDecorators(
    ...Object.entries(statuses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: WorkflowErrorResponseDto }),
    ),
  );
