import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { Scope } from '../tenancy/scopes.js';

// Plain string keys: the overlay and workflow libraries set the same metadata
// without importing the app (see docs/decisions.md, "Auth convention").
export const AUTH_PUBLIC = 'lssm:auth:public';
export const AUTH_SCOPES = 'lssm:auth:scopes';
export const AUTH_ADMIN_KEY = 'lssm:auth:admin-key';
/** With `AUTH_SCOPES`: the key must also hold at least one of these (e.g. `read` or `admin`). */
export const AUTH_ANY_SCOPE = 'lssm:auth:any-scope';

/** No credentials needed (health, metrics). Every other route is denied by default. */
export const Public = () => SetMetadata(AUTH_PUBLIC, true);

/** A tenant API key holding every listed scope. */
export const RequireScopes = (...scopes: Scope[]) =>
  applyDecorators(SetMetadata(AUTH_SCOPES, scopes), ApiBearerAuth('apiKey'));

/** BEHAVIOR_ADMIN_KEY only (the /api/admin surface). */
export const RequireAdminKey = () =>
  applyDecorators(SetMetadata(AUTH_ADMIN_KEY, 'only'), ApiSecurity('adminKey'));

/** A tenant key with the `admin` scope acts on its tenant; BEHAVIOR_ADMIN_KEY on all. */
export const RequireTenantAdmin = () =>
  applyDecorators(
    SetMetadata(AUTH_SCOPES, ['admin']),
    SetMetadata(AUTH_ADMIN_KEY, 'also'),
    ApiBearerAuth('apiKey'),
    ApiSecurity('adminKey'),
  );
