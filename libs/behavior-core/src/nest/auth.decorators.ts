import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

// The auth convention shared with the host app without importing it: the app's
// global guard reads these metadata keys and attaches `request.principal`.
const AUTH_SCOPES = 'lssm:auth:scopes';
const AUTH_ADMIN_KEY = 'lssm:auth:admin-key';

export type BehaviorScope = 'ingest' | 'read' | 'admin';

export interface TenantPrincipal {
  readonly kind: 'tenant';
  readonly tenantId: string;
  readonly scopes: readonly BehaviorScope[];
  readonly keyId: string;
}
export type RequestPrincipal = TenantPrincipal | { readonly kind: 'admin' };

export const RequireScopes = (...scopes: BehaviorScope[]) =>
  applyDecorators(SetMetadata(AUTH_SCOPES, scopes), ApiBearerAuth('apiKey'));

/** A tenant key with `admin` scope for its tenant, or the service admin key for all. */
export const RequireTenantAdmin = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, ['admin']),
    SetMetadata(AUTH_ADMIN_KEY, 'also'),
    ApiBearerAuth('apiKey'),
  );

export const Principal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): RequestPrincipal => ctx.switchToHttp().getRequest().principal,
);

/** The caller's tenant; every read and write is scoped by it. */
export const TenantId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest().principal as RequestPrincipal | undefined;
  if (principal?.kind !== 'tenant') throw new Error('TenantId used on a route without a tenant key');
  return principal.tenantId;
});
