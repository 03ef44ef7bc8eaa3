import type { Queryable } from '@lssm/nest-common';

/**
 * The deletes of the tables the host's modules keep (overlays, workflows, tenants and keys): the
 * overlay and workflow libraries do not depend on behavior-core, so their erasure hooks live here.
 */
export class HostErasureRepository {
  constructor(private readonly db: Queryable) {}

  /** User-scoped overlays and the audit rows of overlays applied for the user. */
  async eraseOverlayUser(tenantId: string, userId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `with audit as (delete from overlay_audit where tenant_id = $1 and context ->> 'userId' = $2 returning 1),
            scoped as (delete from overlays where tenant_id = $1 and (user_id = $2 or scope ->> 'userId' = $2) returning 1)
       select ((select count(*) from audit) + (select count(*) from scoped))::int as n`,
      [tenantId, userId],
    );
    return rows[0].n;
  }

  async eraseOverlayTenant(tenantId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `with a as (delete from overlay_audit where tenant_id = $1 returning 1),
            o as (delete from overlays where tenant_id = $1 returning 1),
            k as (delete from overlay_signing_keys where tenant_id = $1 returning 1),
            b as (delete from overlay_base_specs where tenant_id = $1 returning 1)
       select ((select count(*) from a) + (select count(*) from o) + (select count(*) from k)
               + (select count(*) from b))::int as n`,
      [tenantId],
    );
    return rows[0].n;
  }

  /**
   * Workflows, API keys and the tenant row itself. The erasure job works from its own row (tenant
   * id included), so a resumed deletion still finds the data of a tenant whose row is gone.
   */
  async eraseTenancy(tenantId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `with e as (delete from workflow_extensions where tenant_id = $1 returning 1),
            w as (delete from workflow_bases where tenant_id = $1 returning 1),
            k as (delete from api_keys where tenant_id = $1 returning 1)
       select ((select count(*) from e) + (select count(*) from w) + (select count(*) from k))::int as n`,
      [tenantId],
    );
    const tenant = await this.db.query('delete from tenants where id = $1', [tenantId]);
    return rows[0].n + (tenant.rowCount ?? 0);
  }
}
