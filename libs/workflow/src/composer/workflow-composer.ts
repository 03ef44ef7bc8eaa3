import type {
  AppliedExtension,
  CompositionContext,
  CompositionResult,
  SkippedExtension,
  WorkflowComposerOptions,
} from '../contracts/composition.types.js';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { isNonEmptyString } from '../spec/shape-checks.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { applyExtension } from './extension.applier.js';
import { assertExtensionShape, assertUniqueIds, versionMismatch } from './extension-guards.js';
import { orderExtensions } from './extension-order.js';
import { scopeSpecificity, selectExtensions } from './extension-scope.matcher.js';
import { WorkflowCompositionError } from './workflow-composition.error.js';
import { WorkingWorkflow } from './working-workflow.js';

/**
 * Stateless and synchronous: a Nest service can hold one instance and call it per
 * request with the extensions it loaded for the caller's tenant.
 */
export class WorkflowComposer {
  private readonly versionPolicy: 'fail' | 'skip';

  constructor(options: WorkflowComposerOptions = {}) {
    this.versionPolicy = options.versionMismatch ?? 'fail';
  }

  compose(
    base: WorkflowSpec,
    extensions: readonly WorkflowExtension[],
    context: CompositionContext,
  ): CompositionResult {
    if (!context || !isNonEmptyString(context.tenantId)) {
      throw new WorkflowCompositionError(
        'invalid_context',
        'the composition context needs a non-empty tenantId',
      );
    }
    const baseCheck = validateWorkflow(base);
    if (!baseCheck.valid) {
      throw new WorkflowCompositionError(
        'invalid_base',
        `base workflow "${String(base?.id)}" is invalid: ${baseCheck.errors.map((e) => e.message).join('; ')}`,
        { errors: baseCheck.errors },
      );
    }

    // Only the caller's extensions are shape-checked: another tenant's malformed
    // extension must not break this tenant's workflow.
    const matched = selectExtensions(base.id, extensions, context);
    matched.forEach(assertExtensionShape);
    assertUniqueIds(matched);

    const wf = WorkingWorkflow.fromSpec(base);
    const applied: AppliedExtension[] = [];
    const skipped: SkippedExtension[] = [];
    for (const ext of orderExtensions(matched)) {
      const mismatch = versionMismatch(ext, base.version);
      if (mismatch !== undefined) {
        if (this.versionPolicy === 'skip') {
          skipped.push({ extensionId: ext.extensionId, reason: 'base_version_mismatch', message: mismatch });
          continue;
        }
        throw new WorkflowCompositionError('base_version_mismatch', mismatch, {
          extensionId: ext.extensionId,
        });
      }
      applyExtension(wf, ext);
      applied.push({
        extensionId: ext.extensionId,
        scope: { ...ext.scope },
        specificity: scopeSpecificity(ext.scope),
        priority: ext.priority ?? 0,
        operationCount: ext.operations.length,
      });
    }

    return {
      workflow: wf.toSpec(),
      applied,
      skipped,
      provenance: wf.provenanceRecord(),
      removed: wf.removed.map((r) => ({ ...r })),
    };
  }
}
