/** Where a template's steps go. Exactly one of the three must be set. */
export type StepPlacement =
  | { readonly after: string; readonly before?: never; readonly replace?: never }
  | { readonly before: string; readonly after?: never; readonly replace?: never }
  | { readonly replace: string; readonly after?: never; readonly before?: never };

export type TenantReviewOptions = StepPlacement & {
  readonly id?: string;
  readonly label?: string;
  readonly reviewerRole?: string;
  /** Step to go back to when the reviewer rejects; adds a `rejected` transition. */
  readonly rejectTo?: string;
};

export interface ApprovalLevel {
  readonly approverRole: string;
  /** Amount from which this level is required. The first level defaults to 0. */
  readonly minAmount?: number;
  readonly label?: string;
}

export type ApprovalOptions = StepPlacement & {
  readonly id?: string;
  readonly label?: string;
  /** Single-level shorthand; give either this or `levels`. */
  readonly approverRole?: string;
  /** Multi-level chain, thresholds strictly ascending. */
  readonly levels?: readonly ApprovalLevel[];
  readonly amountField?: string;
  readonly currency?: string;
  readonly rejectTo?: string;
};

export type NotificationChannel = 'email' | 'sms' | 'push' | 'in-app';

export type NotificationOptions = StepPlacement & {
  readonly id: string;
  readonly label?: string;
  readonly channel: NotificationChannel;
  readonly template: string;
  readonly recipients?: readonly string[];
};

export interface MergeExtensionsOptions {
  readonly extensionId: string;
  readonly priority?: number;
  readonly description?: string;
}
