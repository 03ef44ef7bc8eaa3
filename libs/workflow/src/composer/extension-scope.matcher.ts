import type { CompositionContext, ScopeSpecificity } from '../contracts/composition.types.js';
import type { ExtensionScope, WorkflowExtension } from '../contracts/workflow-extension.types.js';

/** Role and device each narrow the audience; set together they narrow it most, so they rank last. */
export function scopeSpecificity(scope: ExtensionScope): ScopeSpecificity {
  return ((scope.role !== undefined ? 1 : 0) + (scope.device !== undefined ? 2 : 0)) as ScopeSpecificity;
}

/** Tenant must be equal; role and device, when the scope sets them, must equal the context's. */
export function scopeMatches(scope: ExtensionScope | undefined, context: CompositionContext): boolean {
  if (!scope || scope.tenantId !== context.tenantId) return false;
  if (scope.role !== undefined && scope.role !== context.role) return false;
  if (scope.device !== undefined && scope.device !== context.device) return false;
  return true;
}

/** The extensions of `workflowId` that apply to `context` (input order kept; see `orderExtensions`). */
export function selectExtensions(
  workflowId: string,
  extensions: readonly WorkflowExtension[],
  context: CompositionContext,
): WorkflowExtension[] {
  return extensions.filter((e) => e?.workflowId === workflowId && scopeMatches(e.scope, context));
}
