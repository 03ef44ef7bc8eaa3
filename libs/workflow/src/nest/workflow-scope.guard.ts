import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { WorkflowRequestPrincipal } from './workflow-auth.decorators.js';

/** Our own metadata key: any one of the listed scopes suffices. */
export const WORKFLOW_ANY_SCOPE = 'lssm:workflows:any-scope';

/**
 * Runs after the app's global guard authenticated the key. Fails closed: a route without a
 * workflow scope rule, or a principal that is not a tenant key, is refused.
 */
@Injectable()
export class WorkflowScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const anyOf = this.reflector.getAllAndOverride<string[] | undefined>(WORKFLOW_ANY_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = context.switchToHttp().getRequest().principal as WorkflowRequestPrincipal | undefined;
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
