import { defineEntity, p } from '@mikro-orm/core';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';

/**
 * spec is the whole extension as the composer takes it; role, device, baseVersion and priority
 * duplicate it so compose selects the matching rows in SQL.
 */
export const WorkflowExtensionEntity = defineEntity({
  name: 'WorkflowExtension',
  tableName: 'workflow_extensions',
  properties: {
    tenantId: p.text().primary(),
    workflowId: p.text().primary(),
    extensionId: p.text().primary(),
    role: p.text().nullable(),
    device: p.text().nullable(),
    baseVersion: p.integer().nullable(),
    priority: p.double(),
    spec: p.json<WorkflowExtension>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
