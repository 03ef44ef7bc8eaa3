export type WorkflowValidationCode =
  | 'invalid_shape'
  | 'duplicate_step_id'
  | 'unknown_start'
  | 'no_terminal'
  | 'unknown_terminal'
  | 'duplicate_terminal'
  | 'unknown_transition_target'
  | 'duplicate_transition'
  | 'unreachable_step'
  | 'no_path_to_terminal';

export interface WorkflowValidationError {
  readonly code: WorkflowValidationCode;
  readonly message: string;
  /** The step the error is about (graph errors always name one, except `no_terminal`). */
  readonly stepId?: string;
  /** The transition target, for transition errors. */
  readonly target?: string;
  /** Dotted path into the checked value, for shape errors (`steps[2].transitions[0].to`). */
  readonly path?: string;
}

export interface WorkflowValidationResult {
  readonly valid: boolean;
  readonly errors: readonly WorkflowValidationError[];
}
