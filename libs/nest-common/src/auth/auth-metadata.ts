// The contract between the route decorators (in every library) and the host app's global guard,
// which reads these keys and attaches `request.principal`.
export const AUTH_PUBLIC = 'lssm:auth:public';
/** Every listed scope is required; an empty list admits any valid tenant key. */
export const AUTH_SCOPES = 'lssm:auth:scopes';
/** `only`: just the service admin key; `also`: the admin key besides a tenant key. */
export const AUTH_ADMIN_KEY = 'lssm:auth:admin-key';
/** With `AUTH_SCOPES`: the key must also hold at least one of these (e.g. `read` or `admin`). */
export const AUTH_ANY_SCOPE = 'lssm:auth:any-scope';

export type AdminKeyRule = 'only' | 'also';
/**
 * The route takes publishable (`pk_`) keys, from the Authorization header, a `key` query
 * parameter or a `writeKey` body field (navigator.sendBeacon cannot set headers). Elsewhere a
 * publishable key is refused whatever its scopes.
 */
export const AUTH_PUBLISHABLE = 'lssm:auth:publishable';
