import type { MergeExtensionsOptions } from '../contracts/templates.types.js';
import type { ExtensionScope, WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { orderExtensions } from '../composer/extension-order.js';
import { WorkflowCompositionError } from '../composer/workflow-composition.error.js';

/**
 * Folds several extensions into one. Scope: the most specific of the inputs' scopes
 * (same tenant; the role and the device some input sets, which must not disagree), so
 * the merged extension applies exactly where all the inputs would. Operations: the
 * inputs in composer order (specificity, priority, id), each input's own order kept, so
 * composing the merged extension equals composing the inputs one by one, except that
 * the result is validated once at the end instead of after each input.
 */
export function mergeExtensions(
  extensions: readonly WorkflowExtension[],
  options: MergeExtensionsOptions,
): WorkflowExtension {
  if (extensions.length === 0) {
    throw new WorkflowCompositionError('incompatible_merge', 'mergeExtensions needs at least one extension', {
      extensionId: options.extensionId,
    });
  }
  const workflowId = single(
    extensions.map((e) => e.workflowId),
    'workflowId',
    options.extensionId,
  )!;
  const scope: { -readonly [K in keyof ExtensionScope]: ExtensionScope[K] } = {
    tenantId: single(
      extensions.map((e) => e.scope.tenantId),
      'scope.tenantId',
      options.extensionId,
    )!,
  };
  const role = single(
    extensions.map((e) => e.scope.role),
    'scope.role',
    options.extensionId,
  );
  const device = single(
    extensions.map((e) => e.scope.device),
    'scope.device',
    options.extensionId,
  );
  if (role !== undefined) scope.role = role;
  if (device !== undefined) scope.device = device;
  const baseVersion = single(
    extensions.map((e) => e.baseVersion),
    'baseVersion',
    options.extensionId,
  );

  const merged: { -readonly [K in keyof WorkflowExtension]: WorkflowExtension[K] } = {
    extensionId: options.extensionId,
    workflowId,
    scope,
    priority: options.priority ?? 0,
    description:
      options.description ??
      `merged from ${orderExtensions(extensions)
        .map((e) => e.extensionId)
        .join(', ')}`,
    operations: orderExtensions(extensions).flatMap((e) => e.operations.map((op) => structuredClone(op))),
  };
  if (baseVersion !== undefined) merged.baseVersion = baseVersion;
  return merged;
}

/** The one value the inputs that set this field agree on; undefined when none sets it. */
function single<T>(values: readonly (T | undefined)[], field: string, extensionId: string): T | undefined {
  const distinct = [...new Set(values.filter((v) => v !== undefined))];
  if (distinct.length > 1) {
    throw new WorkflowCompositionError(
      'incompatible_merge',
      `cannot merge into "${extensionId}": the inputs disagree on ${field} (${distinct.map((v) => JSON.stringify(v)).join(', ')})`,
      { extensionId },
    );
  }
  return distinct[0];
}
