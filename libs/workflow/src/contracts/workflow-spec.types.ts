/** A directed edge between two steps. `on` names the outcome or event that takes it. */
export interface WorkflowTransition {
  readonly to: string;
  readonly on?: string;
}

export interface WorkflowStep {
  readonly id: string;
  /** Free-form kind understood by whoever runs the workflow (task, review, approval, notification, gateway...). */
  readonly type: string;
  readonly label: string;
  readonly transitions: readonly WorkflowTransition[];
  /** Step settings for the runtime (approver role, channel, thresholds). Treated as opaque data by the core. */
  readonly config?: Readonly<Record<string, unknown>>;
}

export interface WorkflowSpec {
  readonly id: string;
  /** Positive integer; extensions may pin it through `baseVersion`. */
  readonly version: number;
  readonly name?: string;
  readonly start: string;
  readonly steps: readonly WorkflowStep[];
  readonly terminal: readonly string[];
}
