import type { CompatibilityIssue } from '../contracts/compatibility.types.js';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { checkCompatibility } from '../compatibility/compatibility-checker.js';

export interface ExtensionIssue {
  readonly extensionId: string;
  readonly issue: CompatibilityIssue;
}

export interface ExtensionWriteVerdict {
  /** Every issue of the written extension against the base. */
  readonly own: readonly ExtensionIssue[];
  /** Issues of the other extensions that the write would introduce (pre-existing ones are not counted). */
  readonly siblings: readonly ExtensionIssue[];
}

/**
 * What storing `candidate` (or, when it is undefined, deleting `current`) would break for
 * compositions of `base`, found with the core's compatibility check before and after the write.
 * Extensions pinned to another base version are left out: they never compose with this base.
 * Issues a sibling already had do not block the write, only breakage it causes does.
 */
export function checkExtensionWrite(
  base: WorkflowSpec,
  siblings: readonly WorkflowExtension[],
  current: WorkflowExtension | undefined,
  candidate: WorkflowExtension | undefined,
): ExtensionWriteVerdict {
  const fits = (e: WorkflowExtension) => e.baseVersion === undefined || e.baseVersion === base.version;
  const subjectId = candidate?.extensionId ?? current?.extensionId;
  const others = siblings.filter((e) => e.extensionId !== subjectId && fits(e));
  const before = checkCompatibility(base, current && fits(current) ? [...others, current] : others);
  const after = checkCompatibility(base, candidate ? [...others, candidate] : others);

  const known = new Set<string>();
  for (const ext of before.extensions)
    for (const issue of ext.issues) known.add(issueKey(ext.extensionId, issue));
  const own: ExtensionIssue[] = [];
  const caused: ExtensionIssue[] = [];
  for (const ext of after.extensions) {
    for (const issue of ext.issues) {
      if (ext.extensionId === subjectId) own.push({ extensionId: ext.extensionId, issue });
      else if (!known.has(issueKey(ext.extensionId, issue)))
        caused.push({ extensionId: ext.extensionId, issue });
    }
  }
  return { own, siblings: caused };
}

// Contexts and messages are left out on purpose: a new role or device only multiplies the
// contexts the checker tries, and an invalid result's message lists the errors of the whole
// graph, which any write changes; a sibling already broken that way is not broken by this write.
function issueKey(extensionId: string, issue: CompatibilityIssue): string {
  return [extensionId, issue.code, issue.anchor ?? '', issue.operationIndex ?? ''].join('\u0001');
}
