import 'reflect-metadata';
import {
  AUTH_ADMIN_KEY,
  AUTH_ANY_SCOPE,
  AUTH_PUBLIC,
  AUTH_PUBLISHABLE,
  AUTH_SCOPES,
} from './auth-metadata.js';
import {
  AllowPublishableKey,
  Public,
  RequireAdminKey,
  RequireAnyScope,
  RequireScopes,
  RequireTenantAdmin,
} from './auth.decorators.js';

// The guard reads exactly these keys; a decorator that set others would leave its route denied.
class Routes {
  @Public() health() {}
  @RequireScopes('ingest') ingest() {}
  @RequireScopes('ingest') @AllowPublishableKey() beacon() {}
  @RequireAnyScope('read', 'admin') read() {}
  @RequireTenantAdmin() jobs() {}
  @RequireAdminKey() admin() {}
}

const meta = (key: string, method: keyof Routes) => Reflect.getMetadata(key, Routes.prototype[method]);

describe('scope decorators', () => {
  it('set the metadata the app guard reads', () => {
    expect(meta(AUTH_PUBLIC, 'health')).toBe(true);
    expect(meta(AUTH_SCOPES, 'ingest')).toEqual(['ingest']);
    expect([meta(AUTH_PUBLISHABLE, 'ingest'), meta(AUTH_PUBLISHABLE, 'beacon')]).toEqual([undefined, true]);
    expect(meta(AUTH_SCOPES, 'beacon')).toEqual(['ingest']);
    expect([meta(AUTH_SCOPES, 'read'), meta(AUTH_ANY_SCOPE, 'read')]).toEqual([[], ['read', 'admin']]);
    expect([meta(AUTH_SCOPES, 'jobs'), meta(AUTH_ADMIN_KEY, 'jobs')]).toEqual([['admin'], 'also']);
    expect([meta(AUTH_SCOPES, 'admin'), meta(AUTH_ADMIN_KEY, 'admin')]).toEqual([undefined, 'only']);
  });
});
