import { timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG } from '../api.tokens.js';
import type { AppConfig } from '../config/app-config.js';
import { bindRequestLog } from '../observability/request-log.context.js';
import { ApiKeyAuthenticator } from './api-key-authenticator.js';
import { PUBLISHABLE_KEY_PREFIX } from '../tenancy/api-key-secret.js';
import {
  AUTH_ADMIN_KEY,
  AUTH_ANY_SCOPE,
  AUTH_PUBLIC,
  AUTH_PUBLISHABLE,
  AUTH_SCOPES,
  type AdminKeyRule,
  type Principal,
} from '@lssm/nest-common';

/** Global guard: every route is denied unless it is marked public or its credentials fit. */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  private readonly adminKey: Buffer | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.adminKey = config.admin.key ? Buffer.from(config.admin.key) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(AUTH_PUBLIC, targets)) return true;
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(AUTH_SCOPES, targets);
    const adminKeyRule = this.reflector.getAllAndOverride<AdminKeyRule | undefined>(AUTH_ADMIN_KEY, targets);
    const request = context.switchToHttp().getRequest();
    const publishableRoute = this.reflector.getAllAndOverride<boolean>(AUTH_PUBLISHABLE, targets) === true;
    const { presented, source } = presentedKey(request, publishableRoute);
    if (!presented)
      throw unauthorized('missing_api_key', 'An Authorization: Bearer <key> header is required');
    // A URL ends up in logs, histories and Referer headers; a secret key there is already leaked,
    // so it is refused before any lookup (and the caller learns to rotate it).
    if (source !== 'header' && !presented.startsWith(PUBLISHABLE_KEY_PREFIX)) {
      throw source === 'query'
        ? unauthorized('secret_key_in_url', 'Secret keys go in the Authorization header, never in the URL')
        : unauthorized('secret_key_in_body', 'Secret keys go in the Authorization header, never in the body');
    }

    if (adminKeyRule && this.isAdminKey(presented)) {
      request.principal = { kind: 'admin' } satisfies Principal;
      bindRequestLog(request.log, { principal: 'admin' });
      return true;
    }
    if (adminKeyRule === 'only') {
      throw unauthorized('invalid_admin_key', 'This endpoint requires BEHAVIOR_ADMIN_KEY');
    }
    if (!scopes)
      throw new ForbiddenException({ message: 'Route has no access rule', code: 'no_access_rule' });

    const record = await this.authenticator.authenticate(presented);
    if (!record) throw unauthorized('invalid_api_key', 'Unknown API key');
    if (record.revoked) throw unauthorized('revoked_api_key', 'This API key has been revoked');
    if (record.type === 'publishable') {
      if (!publishableRoute) {
        throw new ForbiddenException({
          message: 'A publishable key only sends signals; this endpoint needs a secret key',
          code: 'publishable_key_not_allowed',
        });
      }
      const origin: unknown = request.headers?.origin;
      if (typeof origin !== 'string' || !record.allowedOrigins?.includes(origin)) {
        throw new ForbiddenException({
          message:
            typeof origin === 'string'
              ? `Origin ${JSON.stringify(origin.slice(0, 200))} is not allowed for this key`
              : 'A publishable key is accepted only with an Origin header it lists',
          code: 'origin_not_allowed',
        });
      }
    } else if (source !== 'header') {
      throw unauthorized('secret_key_in_url', 'Secret keys go in the Authorization header, never in the URL');
    }
    const missing = scopes.filter((s) => !record.scopes.includes(s as never));
    if (missing.length > 0) {
      throw new ForbiddenException({
        message: `The API key lacks the scope(s): ${missing.join(', ')}`,
        code: 'insufficient_scope',
      });
    }
    const anyOf = this.reflector.getAllAndOverride<string[] | undefined>(AUTH_ANY_SCOPE, targets);
    if (anyOf?.length && !anyOf.some((s) => record.scopes.includes(s as never))) {
      throw new ForbiddenException({
        message: `The API key lacks the scope(s): ${anyOf.join(' or ')}`,
        code: 'insufficient_scope',
      });
    }
    request.principal = {
      kind: 'tenant',
      tenantId: record.tenantId,
      scopes: record.scopes,
      keyId: record.keyId,
      ...(record.type === 'publishable' ? { publishable: true } : {}),
      ...(record.allowedSchemas ? { allowedSchemas: record.allowedSchemas } : {}),
    } satisfies Principal;
    // In place, not a child: the "request completed" line and the 5xx lines of the
    // exception filter use this same logger object.
    bindRequestLog(request.log, { tenantId: record.tenantId });
    return true;
  }

  private isAdminKey(presented: string): boolean {
    if (!this.adminKey) return false;
    const candidate = Buffer.from(presented);
    return candidate.length === this.adminKey.length && timingSafeEqual(candidate, this.adminKey);
  }
}

/**
 * The Authorization header first; on routes taking publishable keys, else the `key` query
 * parameter or the `writeKey` body field. `writeKey` is taken off the body either way, so the
 * envelope checks after this never see it.
 */
function presentedKey(
  request: { headers?: Record<string, unknown>; query?: unknown; body?: unknown },
  publishableRoute: boolean,
): { presented: string | null; source: 'header' | 'query' | 'body' } {
  let writeKey: unknown;
  const body = request.body;
  if (
    publishableRoute &&
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    'writeKey' in body
  ) {
    writeKey = (body as { writeKey?: unknown }).writeKey;
    delete (body as { writeKey?: unknown }).writeKey;
  }
  const header = bearer(request.headers?.authorization);
  if (header || !publishableRoute) return { presented: header, source: 'header' };
  const query = (request.query as { key?: unknown } | undefined)?.key;
  if (typeof query === 'string' && query) return { presented: query, source: 'query' };
  if (typeof writeKey === 'string' && writeKey) return { presented: writeKey, source: 'body' };
  return { presented: null, source: 'header' };
}

function bearer(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

function unauthorized(code: string, message: string): UnauthorizedException {
  return new UnauthorizedException({ message, code });
}
