import type {
  CompatibilityIssue,
  CompatibilityReport,
  ExtensionCompatibility,
} from '../contracts/compatibility.types.js';
import type { CompositionContext, CompositionErrorCode } from '../contracts/composition.types.js';
import type { WorkflowValidationError } from '../contracts/validation.types.js';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { applyExtension } from '../composer/extension.applier.js';
import { versionMismatch } from '../composer/extension-guards.js';
import { orderExtensions } from '../composer/extension-order.js';
import { selectExtensions } from '../composer/extension-scope.matcher.js';
import type { WorkflowCompositionError } from '../composer/workflow-composition.error.js';
import { WorkingWorkflow } from '../composer/working-workflow.js';
import { validateExtensionShape } from '../spec/extension-shape.validator.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import { compatibilityContexts } from './compatibility-contexts.js';

interface IssueDraft {
  code: CompositionErrorCode;
  message: string;
  anchor?: string;
  operationIndex?: number;
  errors?: readonly WorkflowValidationError[];
  contexts: CompositionContext[];
}

/**
 * Reports every extension that would break against `newBase`, with every reason, before
 * the base is published. Each extension is tried in every context it can meet (see
 * `compatibilityContexts`) after the extensions that precede it there; a failing
 * extension is rolled back so the ones after it are still judged. A pinned `baseVersion`
 * other than the new base's is reported, and the anchors are checked regardless, so the
 * author learns whether re-pinning is enough.
 */
export function checkCompatibility(
  newBase: WorkflowSpec,
  extensions: readonly WorkflowExtension[],
): CompatibilityReport {
  const relevant = extensions.filter((e) => e.workflowId === newBase.id);
  const ignored = extensions.filter((e) => e.workflowId !== newBase.id).map((e) => e.extensionId);
  const baseCheck = validateWorkflow(newBase);
  if (!baseCheck.valid) {
    return {
      workflowId: newBase.id,
      baseVersion: newBase.version,
      compatible: false,
      baseErrors: baseCheck.errors,
      extensions: [],
      breaking: [],
      ignored,
    };
  }

  const drafts = new Map<WorkflowExtension, Map<string, IssueDraft>>();
  const add = (
    ext: WorkflowExtension,
    draft: Omit<IssueDraft, 'contexts'>,
    ctx?: CompositionContext,
  ): void => {
    let issues = drafts.get(ext);
    if (!issues) drafts.set(ext, (issues = new Map()));
    const key = `${draft.code}\u0000${draft.anchor ?? ''}\u0000${draft.operationIndex ?? ''}\u0000${draft.message}`;
    const existing = issues.get(key);
    if (existing) {
      if (ctx) existing.contexts.push(ctx);
    } else {
      issues.set(key, { ...draft, contexts: ctx ? [ctx] : [] });
    }
  };

  const wellFormed: WorkflowExtension[] = [];
  const seenIds = new Set<string>();
  for (const ext of relevant) {
    const shape = validateExtensionShape(ext);
    if (!shape.valid) {
      add(ext, {
        code: 'invalid_extension',
        message: shape.errors.map((e) => e.message).join('; '),
        errors: shape.errors,
      });
      continue;
    }
    if (seenIds.has(ext.extensionId)) {
      add(ext, { code: 'duplicate_extension', message: `extension id "${ext.extensionId}" is used twice` });
      continue;
    }
    seenIds.add(ext.extensionId);
    wellFormed.push(ext);
    const mismatch = versionMismatch(ext, newBase.version);
    if (mismatch !== undefined) add(ext, { code: 'base_version_mismatch', message: mismatch });
  }

  for (const ctx of compatibilityContexts(wellFormed)) {
    let wf = WorkingWorkflow.fromSpec(newBase);
    for (const ext of orderExtensions(selectExtensions(newBase.id, wellFormed, ctx))) {
      const snapshot = wf.clone();
      const failures: WorkflowCompositionError[] = [];
      applyExtension(wf, ext, { collect: failures });
      if (failures.length === 0) continue;
      for (const f of failures) {
        add(
          ext,
          {
            code: f.code,
            message: f.message,
            anchor: f.anchor,
            operationIndex: f.operationIndex,
            errors: f.errors.length > 0 ? f.errors : undefined,
          },
          ctx,
        );
      }
      wf = snapshot;
    }
  }

  const reports: ExtensionCompatibility[] = relevant.map((ext) => {
    const issues: CompatibilityIssue[] = [...(drafts.get(ext)?.values() ?? [])].map(toIssue);
    return { extensionId: ext.extensionId, scope: ext.scope, compatible: issues.length === 0, issues };
  });
  const breaking = reports.filter((r) => !r.compatible);
  return {
    workflowId: newBase.id,
    baseVersion: newBase.version,
    compatible: breaking.length === 0,
    baseErrors: [],
    extensions: reports,
    breaking,
    ignored,
  };
}

function toIssue(draft: IssueDraft): CompatibilityIssue {
  const issue: { -readonly [K in keyof CompatibilityIssue]: CompatibilityIssue[K] } = {
    code: draft.code,
    message: draft.message,
    contexts: draft.contexts,
  };
  if (draft.anchor !== undefined) issue.anchor = draft.anchor;
  if (draft.operationIndex !== undefined) issue.operationIndex = draft.operationIndex;
  if (draft.errors !== undefined) issue.errors = draft.errors;
  return issue;
}
