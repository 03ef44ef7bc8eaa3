import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { checkStorable } from '@lssm/behavior-core';
import type { ErrorDetail } from '@lssm/nest-common';

/**
 * Deepest JSON a request body (outside signal ingestion, which has its own per-item rules)
 * may nest. class-transformer recurses once per level and overflows the stack a few
 * thousand levels down; no overlay, workflow or admin document needs more than a few.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * DTO validation failures become 400 with one detail per broken property. Before that,
 * every path and query parameter and every DTO body is checked for values PostgreSQL
 * cannot take (NUL, lone surrogates, non-finite numbers, deep nesting, huge arrays), so no route can
 * pass one to SQL or to class-transformer. Bodies typed `unknown` (signal ingestion) are
 * left to their own per-item validation.
 */
class ClientValuesValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isClientValue(metadata)) {
      const details = unstorableValues(value, metadata.data ?? '');
      if (details.length > 0) {
        throw new BadRequestException({
          message: 'The request contains a value that cannot be accepted',
          code: 'invalid_value',
          details,
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/** The same check and codes as signal ingestion's (`nul_character`, `invalid_unicode`, `non_finite_number`, `max_depth`…). */
function unstorableValues(value: unknown, root: string): ErrorDetail[] {
  const { issues } = checkStorable(value, { maxDepth: MAX_BODY_DEPTH + 1 });
  return issues.map(({ path, code, message }) => ({
    path: path === '(signal)' ? root : root ? `${root}.${path}` : path,
    code,
    message,
  }));
}

function isClientValue({ type, metatype }: ArgumentMetadata): boolean {
  if (type === 'query' || type === 'param') return true;
  return type === 'body' && typeof metatype === 'function' && metatype !== Object;
}

export function createValidationPipe(): ValidationPipe {
  return new ClientValuesValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({
        message: 'The request is invalid',
        code: 'invalid_request',
        details: flatten(errors),
      }),
  });
}

function flatten(errors: ValidationError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([code, message]) => ({ path, code, message }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
