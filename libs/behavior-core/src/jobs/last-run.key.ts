/**
 * Where a runner keeps the last run of a handler: one per scope (a tenant, or all tenants),
 * so a tenant's view of the jobs never shows a run over all tenants or another tenant's.
 */
export function lastRunKey(handler: string, tenantId: string | undefined): string {
  return tenantId === undefined ? handler : `${handler}@tenant:${tenantId}`;
}
