import type { TenantReviewOptions } from '../contracts/templates.types.js';
import type { WorkflowOperation } from '../contracts/workflow-extension.types.js';
import { placeStep } from './step-placement.js';

/**
 * A review by the tenant's own staff. The approve path is wired by the composer (the
 * step continues where its anchor did); `rejectTo` adds a `rejected` way back.
 */
export function tenantReview(options: TenantReviewOptions): WorkflowOperation[] {
  const id = options.id ?? 'tenant-review';
  const ops: WorkflowOperation[] = [
    placeStep('tenantReview', options, {
      id,
      type: 'review',
      label: options.label ?? 'Tenant review',
      config: { reviewerRole: options.reviewerRole ?? 'tenant-admin', scope: 'tenant' },
    }),
  ];
  if (options.rejectTo !== undefined)
    ops.push({ type: 'addTransition', from: id, to: options.rejectTo, on: 'rejected' });
  return ops;
}
