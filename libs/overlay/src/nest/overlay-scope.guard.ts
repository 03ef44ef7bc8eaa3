import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OverlayRequestPrincipal } from './overlay-auth.decorators.js';

/** Our own metadata key: any one of the listed scopes suffices. */
export const OVERLAY_ANY_SCOPE = 'lssm:overlays:any-scope';

/**
 * Runs after the app's global guard authenticated the key. Fails closed: a route without an
 * overlay scope rule, or a principal that is not a tenant key, is refused.
 */
@Injectable()
export class OverlayScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const anyOf = this.reflector.getAllAndOverride<string[] | undefined>(OVERLAY_ANY_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = context.switchToHttp().getRequest().principal as OverlayRequestPrincipal | undefined;
    if (!anyOf || anyOf.length === 0 || principal?.kind !== 'tenant') {
      throw new ForbiddenException({ message: 'A tenant API key is required', code: 'tenant_key_required' });
    }
    if (!anyOf.some((scope) => (principal.scopes as readonly string[]).includes(scope))) {
      throw new ForbiddenException({
        message: `The API key lacks the scope(s): ${anyOf.join(' or ')}`,
        code: 'insufficient_scope',
      });
    }
    return true;
  }
}
