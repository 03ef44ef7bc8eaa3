import type { WorkflowExtension, WorkflowOperation } from '../contracts/workflow-extension.types.js';
import type { WorkflowSpec, WorkflowStep } from '../contracts/workflow-spec.types.js';
import { unprocessable } from '@lssm/nest-common';
import type { WorkflowErrorDetail } from './workflow-error.mapper.js';
import type { PutWorkflowExtensionDto } from './workflow-extension.dto.js';
import { checkExtensionPayload, checkWorkflowPayload } from './workflow-payload.validator.js';
import { MAX_VERSION, type PutWorkflowVersionDto } from './workflow.dto.js';

type WorkflowBody = Omit<PutWorkflowVersionDto, 'version'> & { version?: unknown };

/**
 * The path names the resource; a body may repeat the id (a spec exported from elsewhere) but
 * must not contradict it.
 */
function mismatches(pairs: [field: string, sent: unknown, path: unknown][]): WorkflowErrorDetail[] {
  return pairs
    .filter(([, sent, path]) => sent !== undefined && sent !== path)
    .map(([field, sent, path]) => ({
      path: field,
      code: 'path_mismatch',
      message: `${field} is ${JSON.stringify(sent)} in the body but ${JSON.stringify(path)} in the path`,
    }));
}

/** The core WorkflowSpec a PUT or check body describes, or a 422 listing every problem. */
export function workflowFromBody(workflowId: string, body: WorkflowBody, pathVersion?: number): WorkflowSpec {
  const mismatch = mismatches([
    ['id', body.id, workflowId],
    ...(pathVersion === undefined
      ? []
      : [['version', body.version, pathVersion] as [string, unknown, unknown]]),
  ]);
  if (mismatch.length > 0) throw unprocessable('path_mismatch', 'The body contradicts the path', mismatch);
  // DTO instances carry undefined own properties; the stored JSON must not.
  const spec = {
    id: workflowId,
    version: (pathVersion ?? body.version) as number,
    ...(body.name !== undefined && { name: body.name }),
    start: body.start,
    steps: body.steps as unknown as WorkflowStep[],
    terminal: body.terminal,
  };
  const details = checkWorkflowPayload(spec);
  if (details.length > 0) throw unprocessable('invalid_workflow', 'The workflow is invalid', details);
  return spec;
}

/** The core WorkflowExtension a PUT body describes, scoped to the caller's tenant, or a 422. */
export function extensionFromBody(
  tenantId: string,
  workflowId: string,
  extensionId: string,
  body: PutWorkflowExtensionDto,
): WorkflowExtension {
  const mismatch = mismatches([
    ['extensionId', body.extensionId, extensionId],
    ['workflowId', body.workflowId, workflowId],
  ]);
  if (mismatch.length > 0) throw unprocessable('path_mismatch', 'The body contradicts the path', mismatch);
  const extension = {
    extensionId,
    workflowId,
    ...(body.baseVersion !== undefined && { baseVersion: body.baseVersion }),
    scope: {
      tenantId,
      ...(body.scope?.role !== undefined && { role: body.scope.role }),
      ...(body.scope?.device !== undefined && { device: body.scope.device }),
    },
    ...(body.priority !== undefined && { priority: body.priority }),
    ...(body.description !== undefined && { description: body.description }),
    operations: body.operations as unknown as WorkflowOperation[],
  };
  const details = checkExtensionPayload(extension);
  if (typeof extension.baseVersion === 'number' && extension.baseVersion > MAX_VERSION) {
    details.push({
      path: 'baseVersion',
      code: 'too_large',
      message: `baseVersion must be at most ${MAX_VERSION}`,
    });
  }
  if (details.length > 0) throw unprocessable('invalid_extension', 'The extension is invalid', details);
  return extension;
}
