import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { scopeSpecificity } from './extension-scope.matcher.js';

/**
 * Application order: specificity (tenant, role, device, role+device), then priority
 * ascending (default 0), then extensionId by code unit. Later extensions see the
 * earlier ones' steps, and an insert applied later lands closer to its anchor.
 */
export function compareExtensions(a: WorkflowExtension, b: WorkflowExtension): number {
  const bySpecificity = scopeSpecificity(a.scope) - scopeSpecificity(b.scope);
  if (bySpecificity !== 0) return bySpecificity;
  const byPriority = (a.priority ?? 0) - (b.priority ?? 0);
  if (byPriority !== 0) return byPriority;
  return a.extensionId < b.extensionId ? -1 : a.extensionId > b.extensionId ? 1 : 0;
}

export function orderExtensions(extensions: readonly WorkflowExtension[]): WorkflowExtension[] {
  return [...extensions].sort(compareExtensions);
}
