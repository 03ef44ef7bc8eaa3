import type { CompositionContext } from '../contracts/composition.types.js';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';

/**
 * Every context the given extensions can meet in: per tenant, each role they mention (or
 * none) crossed with each device they mention (or none). An extension can break only next
 * to another scope's (a device extension anchored on a step a role extension removed), so
 * the checker has to look at the combinations, not at each extension alone.
 */
export function compatibilityContexts(extensions: readonly WorkflowExtension[]): CompositionContext[] {
  const byTenant = new Map<string, { roles: Set<string>; devices: Set<string> }>();
  for (const { scope } of extensions) {
    let entry = byTenant.get(scope.tenantId);
    if (!entry) byTenant.set(scope.tenantId, (entry = { roles: new Set(), devices: new Set() }));
    if (scope.role !== undefined) entry.roles.add(scope.role);
    if (scope.device !== undefined) entry.devices.add(scope.device);
  }
  const contexts: CompositionContext[] = [];
  for (const [tenantId, { roles, devices }] of byTenant) {
    for (const role of [undefined, ...roles]) {
      for (const device of [undefined, ...devices]) {
        const ctx: { tenantId: string; role?: string; device?: string } = { tenantId };
        if (role !== undefined) ctx.role = role;
        if (device !== undefined) ctx.device = device;
        contexts.push(ctx);
      }
    }
  }
  return contexts;
}
