import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiSecurity } from '@nestjs/swagger';
import {
  AUTH_ADMIN_KEY,
  AUTH_ANY_SCOPE,
  AUTH_PUBLIC,
  AUTH_PUBLISHABLE,
  AUTH_SCOPES,
  type AdminKeyRule,
} from './auth-metadata.js';
import type { Scope } from './scopes.js';

/** No credentials needed (health, metrics, the editor page). Every other route is denied by default. */
export const Public = () => SetMetadata(AUTH_PUBLIC, true);

/** A tenant API key holding every listed scope. */
export const RequireScopes = (...scopes: Scope[]) =>
  applyDecorators(SetMetadata(AUTH_SCOPES, scopes), ApiBearerAuth('apiKey'));

/**
 * A tenant API key holding at least one of the scopes: reads take `read` or `admin`, so the key
 * that writes something can read it back.
 */
export const RequireAnyScope = (...scopes: Scope[]) =>
  applyDecorators(SetMetadata(AUTH_SCOPES, []), SetMetadata(AUTH_ANY_SCOPE, scopes), ApiBearerAuth('apiKey'));

/** BEHAVIOR_ADMIN_KEY only (the /api/admin surface). */
export const RequireAdminKey = () =>
  applyDecorators(SetMetadata(AUTH_ADMIN_KEY, 'only' satisfies AdminKeyRule), ApiSecurity('adminKey'));

/** A tenant key with the `admin` scope acts on its tenant; BEHAVIOR_ADMIN_KEY on all. */
export const RequireTenantAdmin = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, ['admin']),
    SetMetadata(AUTH_ADMIN_KEY, 'also' satisfies AdminKeyRule),
    ApiBearerAuth('apiKey'),
    ApiSecurity('adminKey'),
  );

/**
 * Also a publishable (`pk_`) key, from a web page: bound to its origins, and it may come as a
 * `key` query parameter or a `writeKey` body field. Pair with RequireScopes('ingest').
 */
export const AllowPublishableKey = () =>
  applyDecorators(
    SetMetadata(AUTH_PUBLISHABLE, true),
    ApiQuery({
      name: 'key',
      required: false,
      description:
        'A publishable key (pk_...), for callers that cannot set headers (navigator.sendBeacon). ' +
        'Secret keys are refused here (401 secret_key_in_url).',
      schema: { type: 'string', pattern: '^pk_' },
    }),
  );
