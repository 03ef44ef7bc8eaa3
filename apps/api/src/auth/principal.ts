import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Scope } from '../tenancy/scopes.js';

/** What the auth guard attaches to `request.principal`. */
export type Principal =
  { kind: 'tenant'; tenantId: string; scopes: readonly Scope[]; keyId: string } | { kind: 'admin' };

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);
