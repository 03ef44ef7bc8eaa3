import type { CompositionContext, CompositionErrorCode } from './composition.types.js';
import type { WorkflowValidationError } from './validation.types.js';
import type { ExtensionScope } from './workflow-extension.types.js';

export interface CompatibilityIssue {
  readonly code: CompositionErrorCode;
  readonly message: string;
  readonly anchor?: string;
  readonly operationIndex?: number;
  readonly errors?: readonly WorkflowValidationError[];
  /** The composition contexts in which the issue shows up (an extension can break only next to another scope's). */
  readonly contexts: readonly CompositionContext[];
}

export interface ExtensionCompatibility {
  readonly extensionId: string;
  readonly scope: ExtensionScope;
  readonly compatible: boolean;
  readonly issues: readonly CompatibilityIssue[];
}

export interface CompatibilityReport {
  readonly workflowId: string;
  readonly baseVersion: number;
  /** True when the base is valid and no extension breaks. */
  readonly compatible: boolean;
  readonly baseErrors: readonly WorkflowValidationError[];
  /** Every extension for this workflow, in input order. */
  readonly extensions: readonly ExtensionCompatibility[];
  /** The subset of `extensions` that would break. */
  readonly breaking: readonly ExtensionCompatibility[];
  /** Extensions for other workflows, left out of the check. */
  readonly ignored: readonly string[];
}
