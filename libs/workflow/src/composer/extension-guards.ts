import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { validateExtensionShape } from '../spec/extension-shape.validator.js';
import { WorkflowCompositionError } from './workflow-composition.error.js';

export function assertExtensionShape(ext: WorkflowExtension): void {
  const shape = validateExtensionShape(ext);
  if (!shape.valid) {
    throw new WorkflowCompositionError(
      'invalid_extension',
      `extension "${String(ext.extensionId)}" is malformed: ${shape.errors.map((e) => e.message).join('; ')}`,
      { extensionId: ext.extensionId, errors: shape.errors },
    );
  }
}

/** Two extensions with one id would make ordering and provenance ambiguous. */
export function assertUniqueIds(extensions: readonly WorkflowExtension[]): void {
  const seen = new Set<string>();
  for (const ext of extensions) {
    if (seen.has(ext.extensionId)) {
      throw new WorkflowCompositionError(
        'duplicate_extension',
        `extension id "${ext.extensionId}" is used twice`,
        {
          extensionId: ext.extensionId,
        },
      );
    }
    seen.add(ext.extensionId);
  }
}

export function versionMismatch(ext: WorkflowExtension, baseVersion: number): string | undefined {
  if (ext.baseVersion === undefined || ext.baseVersion === baseVersion) return undefined;
  return `extension "${ext.extensionId}" is pinned to base version ${ext.baseVersion}, the base is version ${baseVersion}`;
}
