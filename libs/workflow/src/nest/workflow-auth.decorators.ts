import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { WorkflowErrorResponseDto } from './workflow-error.dto.js';

// The host app's auth convention (docs/decisions.md), restated without importing the app: its
// global guard reads these metadata keys and attaches `request.principal`.
const AUTH_SCOPES = 'lssm:auth:scopes';
const AUTH_ANY_SCOPE = 'lssm:auth:any-scope';

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

/** Reading workflows: a tenant key with `read` or `admin`, so the key that publishes one can read it back. */
export const RequireWorkflowRead = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, []),
    SetMetadata(AUTH_ANY_SCOPE, ['read', 'admin']),
    authResponses(),
  );

/** Publishing bases, changing extensions, checking candidates: a tenant key with `admin`. */
export const RequireWorkflowAdmin = () =>
  applyDecorators(SetMetadata(AUTH_SCOPES, ['admin']), authResponses());

/** The caller's tenant, from the API key; never from the body or the path. */
export const WorkflowTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest().principal as WorkflowRequestPrincipal | undefined;
  if (principal?.kind !== 'tenant') throw new Error('WorkflowTenant used on a route without a tenant key');
  return principal.tenantId;
});
