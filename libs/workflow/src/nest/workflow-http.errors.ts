import {
  ConflictException,
  NotFoundException,
  UnprocessableEntityException,
  type HttpException,
} from '@nestjs/common';

/** The shared detail shape `{ path, code, message }`, plus what names a workflow culprit. */
export interface WorkflowErrorDetail {
  readonly path: string;
  readonly code: string;
  readonly message: string;
  readonly extensionId?: string;
  readonly anchor?: string;
  readonly operationIndex?: number;
  readonly stepId?: string;
}

// Every error body is `{ message, code, details? }`; the app's filter adds statusCode and error.
export const notFound = (code: string, message: string): HttpException =>
  new NotFoundException({ message, code });

export const conflict = (
  code: string,
  message: string,
  details?: readonly WorkflowErrorDetail[],
): HttpException => new ConflictException({ message, code, ...(details ? { details } : {}) });

export const unprocessable = (
  code: string,
  message: string,
  details?: readonly WorkflowErrorDetail[],
): HttpException => new UnprocessableEntityException({ message, code, ...(details ? { details } : {}) });

export const workflowNotFound = (workflowId: string, version?: number): HttpException =>
  version === undefined
    ? notFound('workflow_not_found', `Workflow ${workflowId} not found`)
    : notFound('workflow_version_not_found', `Workflow ${workflowId} has no version ${version}`);
