export { SCOPES, isScope, type Scope } from './auth/scopes.js';
export {
  AUTH_ADMIN_KEY,
  AUTH_ANY_SCOPE,
  AUTH_PUBLIC,
  AUTH_PUBLISHABLE,
  AUTH_SCOPES,
  type AdminKeyRule,
} from './auth/auth-metadata.js';
export {
  AllowPublishableKey,
  Public,
  RequireAdminKey,
  RequireAnyScope,
  RequireScopes,
  RequireTenantAdmin,
} from './auth/auth.decorators.js';
export { CurrentPrincipal, TenantId, type Principal, type TenantPrincipal } from './auth/principal.js';
export {
  DomainError,
  badRequest,
  conflict,
  isDomainError,
  notFound,
  unprocessable,
  type DomainErrorInit,
  type DomainErrorStatus,
  type ErrorDetail,
} from './errors/domain.error.js';
export {
  databaseUnavailable,
  isDatabaseUnavailable,
  isQueryTimeout,
  queryTimeout,
} from './errors/database.errors.js';
export { ErrorDetailDto, ErrorResponseDto } from './openapi/error-response.dto.js';
export { ApiErrorResponses } from './openapi/api-error-responses.decorator.js';
export { JSON_VALUE_SCHEMA } from './openapi/json-value.schema.js';
export { DatabaseModule } from './database/database.module.js';
export { DatabasePool } from './database/database-pool.js';
export { DatabaseLane, type DatabaseLaneName } from './database/database-lane.js';
export type { DatabaseOptions } from './database/database.options.js';
export type { Queryable } from './database/queryable.js';
export { transaction, type TransactionScope } from './database/transaction.js';
export { isUniqueViolation, json, jsonValue } from './database/sql-values.js';
export { SqlParams } from './database/sql-params.js';
