import {
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  UseGuards,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { WorkflowErrorResponseDto } from './workflow-error.dto.js';
import { WORKFLOW_ANY_SCOPE, WorkflowScopeGuard } from './workflow-scope.guard.js';

// The host app's auth convention (docs/decisions.md), restated without importing the app: its
// global guard reads these metadata keys and attaches `request.principal`.
const AUTH_SCOPES = 'lssm:auth:scopes';

export type WorkflowApiScope = 'ingest' | 'read' | 'admin';

export interface WorkflowTenantPrincipal {
  readonly kind: 'tenant';
  readonly tenantId: string;
  readonly scopes: readonly WorkflowApiScope[];
  readonly keyId: string;
}
export type WorkflowRequestPrincipal = WorkflowTenantPrincipal | { readonly kind: 'admin' };

const authResponses = () =>
  applyDecorators(
    ApiBearerAuth('apiKey'),
    ApiUnauthorizedResponse({
      description: 'Missing, unknown or revoked API key',
      type: WorkflowErrorResponseDto,
    }),
    ApiForbiddenResponse({ description: 'The key lacks the scope', type: WorkflowErrorResponseDto }),
  );

/**
 * Reading workflows: a tenant key with `read` or `admin`. The app guard only knows "all of these
 * scopes", so it is told to authenticate any tenant key (empty scope list) and WorkflowScopeGuard
 * then demands one of the two, so the key that publishes a workflow can read it back.
 */
export const RequireWorkflowRead = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, []),
    SetMetadata(WORKFLOW_ANY_SCOPE, ['read', 'admin']),
    UseGuards(WorkflowScopeGuard),
    authResponses(),
  );

/** Publishing bases, changing extensions, checking candidates: a tenant key with `admin`. */
export const RequireWorkflowAdmin = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, ['admin']),
    SetMetadata(WORKFLOW_ANY_SCOPE, ['admin']),
    UseGuards(WorkflowScopeGuard),
    authResponses(),
  );

/** The caller's tenant, from the API key; never from the body or the path. */
export const WorkflowTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest().principal as WorkflowRequestPrincipal | undefined;
  if (principal?.kind !== 'tenant') throw new Error('WorkflowTenant used on a route without a tenant key');
  return principal.tenantId;
});
