import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';

// The host app's auth convention (docs/decisions.md), restated without importing the app: its
// global guard reads these metadata keys and attaches `request.principal`.
const AUTH_PUBLIC = 'lssm:auth:public';
const AUTH_SCOPES = 'lssm:auth:scopes';
const AUTH_ANY_SCOPE = 'lssm:auth:any-scope';

export type OverlayApiScope = 'ingest' | 'read' | 'admin';

export interface OverlayTenantPrincipal {
  readonly kind: 'tenant';
  readonly tenantId: string;
  readonly scopes: readonly OverlayApiScope[];
  readonly keyId: string;
}
export type OverlayRequestPrincipal = OverlayTenantPrincipal | { readonly kind: 'admin' };

/** No credentials (the editor page and its script). */
export const OverlayPublic = () => SetMetadata(AUTH_PUBLIC, true);

/** Reading overlays: a tenant key with `read` or `admin`, so an admin key can drive the editor alone. */
export const RequireOverlayRead = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, []),
    SetMetadata(AUTH_ANY_SCOPE, ['read', 'admin']),
    ApiBearerAuth('apiKey'),
  );

/** Changing overlays, signing, keys: a tenant key with `admin` (the service admin key has no tenant). */
export const RequireOverlayAdmin = () =>
  applyDecorators(SetMetadata(AUTH_SCOPES, ['admin']), ApiBearerAuth('apiKey'));

/** The caller's tenant, from the API key; never from the body or the path. */
export const OverlayTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest().principal as OverlayRequestPrincipal | undefined;
  if (principal?.kind !== 'tenant') throw new Error('OverlayTenant used on a route without a tenant key');
  return principal.tenantId;
});
