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
import { validateWorkflowGraph } from '../spec/workflow-graph.validator.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { applyExtension } from './extension.applier.js';
import { assertExtensionShape, assertUniqueIds, versionMismatch } from './extension-guards.js';
import { orderExtensions } from './extension-order.js';
import { scopeSpecificity, selectExtensions } from './extension-scope.matcher.js';
import { WorkflowCompositionError } from './workflow-composition.error.js';
import { WorkingWorkflow } from './working-workflow.js';

interface Applied {
  readonly wf: WorkingWorkflow;
  readonly applied: AppliedExtension[];
  readonly skipped: SkippedExtension[];
  /** True when some extension's result was not checked (proven safe). */
  readonly unchecked: boolean;
}

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

    const ordered = orderExtensions(matched);
    const fast = this.apply(base, ordered, true);
    // The fast path skips checks after provably safe extensions; the final check is the
    // safety net, and on failure the strict path runs to name the extension at fault.
    if (fast.unchecked) {
      const errors = validateWorkflowGraph(fast.wf.start, fast.wf.stepsInOrder(), fast.wf.terminal);
      if (errors.length > 0) return this.finish(this.apply(base, ordered, false));
    }
    return this.finish(fast);
  }

  private apply(
    base: WorkflowSpec,
    ordered: readonly WorkflowExtension[],
    trustSafeOperations: boolean,
  ): Applied {
    const wf = WorkingWorkflow.fromSpec(base);
    const applied: AppliedExtension[] = [];
    const skipped: SkippedExtension[] = [];
    let unchecked = false;
    for (const ext of ordered) {
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
      if (!applyExtension(wf, ext, { trustSafeOperations })) unchecked = true;
      applied.push({
        extensionId: ext.extensionId,
        scope: { ...ext.scope },
        specificity: scopeSpecificity(ext.scope),
        priority: ext.priority ?? 0,
        operationCount: ext.operations.length,
      });
    }
    return { wf, applied, skipped, unchecked };
  }

  private finish({ wf, applied, skipped }: Applied): CompositionResult {
    return {
      workflow: wf.toSpec(),
      applied,
      skipped,
      provenance: wf.provenanceRecord(),
      removed: wf.removed.map((r) => ({ ...r })),
    };
  }
}
