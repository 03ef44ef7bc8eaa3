import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { badRequest } from '@lssm/nest-common';
import { MAX_ATTRIBUTE_DEPTH } from '../schema/schema-naming.rules.js';
import { checkStorable } from './storable-value.guard.js';

/**
 * Refuses a JSON body nested deeper than the attribute depth limit before the
 * validation pipe sees it: class-transformer copies bodies recursively and overflows
 * the stack on a few thousand levels. Guards run before pipes; the check is iterative.
 */
@Injectable()
export class JsonDepthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    if (checkStorable(body).tooDeep) {
      throw badRequest('max_depth', `The body is nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`);
    }
    return true;
  }
}
