import { applyDecorators, type Type } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/**
 * Documents an endpoint's error statuses with an error schema, so generated clients get a typed
 * error per status: `ApiErrorResponses({ 404: 'Unknown workflow', 422: '…' })`. A library whose
 * details carry more fields passes its own subclass of `ErrorResponseDto`.
 */
export const ApiErrorResponses = (
  statuses: Partial<Record<400 | 401 | 403 | 404 | 409 | 422 | 503, string>>,
  type: Type<unknown> = ErrorResponseDto,
) =>
  applyDecorators(
    ...Object.entries(statuses).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type }),
    ),
  );
