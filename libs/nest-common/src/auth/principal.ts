import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Scope } from './scopes.js';

export interface TenantPrincipal {
  readonly kind: 'tenant';
  readonly tenantId: string;
  readonly scopes: readonly Scope[];
  readonly keyId: string;
  /** A publishable (`pk_`) key: public, so also rate-limited per client IP. */
  readonly publishable?: true;
  /** A publishable key bound to these schema ids: its items naming others are refused. */
  readonly allowedSchemas?: readonly string[];
}

/** What the auth guard attaches to `request.principal`. */
export type Principal = TenantPrincipal | { readonly kind: 'admin' };

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);

/** The caller's tenant, from the API key; never from the body or the path. */
export const TenantId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest().principal as Principal | undefined;
  // A programming error (a tenant route whose rule also admits the admin key), not a client error.
  if (principal?.kind !== 'tenant') throw new Error('TenantId used on a route without a tenant key');
  return principal.tenantId;
});
