import type { ExtensionScope, WorkflowOperationType } from './workflow-extension.types.js';
import type { WorkflowSpec } from './workflow-spec.types.js';

/** Who the workflow is composed for; the tenant comes from the caller's credentials, never from user input. */
export interface CompositionContext {
  readonly tenantId: string;
  readonly role?: string;
  readonly device?: string;
}

/** 0 tenant only, 1 role, 2 device, 3 role and device. */
export type ScopeSpecificity = 0 | 1 | 2 | 3;

/** What happens when an extension pins a `baseVersion` other than the base's version. */
export type VersionMismatchPolicy = 'fail' | 'skip';

export interface WorkflowComposerOptions {
  /** Default `fail`: a pinned extension is a promise about anchors, so a moved base is a hard error. */
  readonly versionMismatch?: VersionMismatchPolicy;
}

export interface AppliedExtension {
  readonly extensionId: string;
  readonly scope: ExtensionScope;
  readonly specificity: ScopeSpecificity;
  readonly priority: number;
  readonly operationCount: number;
}

export interface SkippedExtension {
  readonly extensionId: string;
  readonly reason: 'base_version_mismatch';
  readonly message: string;
}

export type StepChangeKind =
  | 'inserted'
  | 'replaced'
  | 'rewired'
  | 'relabelled'
  | 'transition-added'
  | 'became-start'
  | 'became-terminal';

export interface StepChange {
  readonly extensionId: string;
  readonly operation: WorkflowOperationType;
  readonly operationIndex: number;
  readonly kind: StepChangeKind;
  readonly detail: string;
}

export interface StepProvenance {
  readonly stepId: string;
  /** Extension that brought the step in; null for steps of the base. */
  readonly addedBy: string | null;
  /** Every change made by extensions, in application order. Empty for untouched base steps. */
  readonly changes: readonly StepChange[];
}

export interface RemovedStep {
  readonly stepId: string;
  readonly extensionId: string;
  readonly operation: 'removeStep' | 'replaceStep';
  readonly replacedBy?: string;
}

export interface CompositionResult {
  readonly workflow: WorkflowSpec;
  /** In application order. */
  readonly applied: readonly AppliedExtension[];
  readonly skipped: readonly SkippedExtension[];
  /** One entry per step of the composed workflow. */
  readonly provenance: Readonly<Record<string, StepProvenance>>;
  readonly removed: readonly RemovedStep[];
}

export type CompositionErrorCode =
  | 'invalid_context'
  | 'invalid_base'
  | 'invalid_extension'
  | 'duplicate_extension'
  | 'base_version_mismatch'
  | 'missing_anchor'
  | 'duplicate_step'
  | 'ambiguous_start'
  | 'invalid_result'
  | 'incompatible_merge';
