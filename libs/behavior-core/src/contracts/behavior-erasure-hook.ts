import type { Queryable } from '@lssm/nest-common';

/** The connection a hook deletes through (the one pool's background lane). */
export type ErasureQueryable = Queryable;

/** What an erasure hook is asked to remove: one user of a tenant. */
export interface UserErasureRequest {
  readonly erasureId: string;
  readonly tenantId: string;
  readonly userId: string;
}

/** What an erasure hook is asked to remove: everything of a tenant (tenant deletion). */
export interface TenantErasureRequest {
  readonly erasureId: string;
  readonly tenantId: string;
}

/**
 * Erases what an add-on or host module stored itself (its tables, its derived rows, an external
 * system). Mark the provider with `@RegisterErasureHook()`; the erasure job calls every registered
 * hook (before core's own tables, or after them with `phase: 'after-core'`) and records the number it returns under `hook:<name>`.
 *
 * A hook must be idempotent: an erasure interrupted by a restart calls it again from the start.
 * `db` is the background lane of the one pool (hooks that store in PostgreSQL use it).
 */
export interface BehaviorErasureHook {
  /** Unique among hooks; dotted or kebab lowercase (`commerce`, `overlays`). */
  readonly name: string;
  /**
   * `before-core` (default): runs before core's tables are erased. `after-core`: after them, for
   * copies made from those rows (sinks), so nothing read from PostgreSQL before is left behind.
   */
  readonly phase?: 'before-core' | 'after-core';
  /** Removes the user's data in the tenant; returns how many rows (or items) went. */
  eraseUser(request: UserErasureRequest, db: ErasureQueryable): Promise<number>;
  /** Removes all of the tenant's data; returns how many rows (or items) went. */
  eraseTenant(request: TenantErasureRequest, db: ErasureQueryable): Promise<number>;
}
