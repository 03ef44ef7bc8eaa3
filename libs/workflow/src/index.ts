// The only public door of @lssm/workflow: framework-free, no Nest imports below this line.
export type { WorkflowSpec, WorkflowStep, WorkflowTransition } from './contracts/workflow-spec.types.js';
export type {
  WorkflowValidationCode,
  WorkflowValidationError,
  WorkflowValidationResult,
} from './contracts/validation.types.js';
export type {
  AddTransitionOperation,
  ExtensionScope,
  InsertAfterOperation,
  InsertBeforeOperation,
  RemoveStepOperation,
  ReplaceStepOperation,
  SetLabelOperation,
  WorkflowExtension,
  WorkflowOperation,
  WorkflowOperationType,
  WorkflowStepInput,
} from './contracts/workflow-extension.types.js';
export type {
  AppliedExtension,
  CompositionContext,
  CompositionErrorCode,
  CompositionResult,
  RemovedStep,
  ScopeSpecificity,
  SkippedExtension,
  StepChange,
  StepChangeKind,
  StepProvenance,
  VersionMismatchPolicy,
  WorkflowComposerOptions,
} from './contracts/composition.types.js';
export type {
  CompatibilityIssue,
  CompatibilityReport,
  ExtensionCompatibility,
} from './contracts/compatibility.types.js';
export type {
  ApprovalLevel,
  ApprovalOptions,
  MergeExtensionsOptions,
  NotificationChannel,
  NotificationOptions,
  StepPlacement,
  TenantReviewOptions,
} from './contracts/templates.types.js';

export { validateWorkflow } from './spec/workflow.validator.js';
export { validateWorkflowShape } from './spec/workflow-shape.validator.js';
export { validateExtensionShape } from './spec/extension-shape.validator.js';
export { WorkflowComposer } from './composer/workflow-composer.js';
export { WorkflowCompositionError } from './composer/workflow-composition.error.js';
export { compareExtensions, orderExtensions } from './composer/extension-order.js';
export { scopeMatches, scopeSpecificity, selectExtensions } from './composer/extension-scope.matcher.js';
export { checkCompatibility } from './compatibility/compatibility-checker.js';
export { tenantReview } from './templates/tenant-review.template.js';
export { approval } from './templates/approval.template.js';
export { notification } from './templates/notification.template.js';
export { mergeExtensions } from './templates/merge-extensions.js';
export { WorkflowTemplateError } from './templates/workflow-template.error.js';
