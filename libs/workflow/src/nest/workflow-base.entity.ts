import { defineEntity, p } from '@mikro-orm/core';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';

/** One row per published base version; a stored version never changes. */
export const WorkflowBaseEntity = defineEntity({
  name: 'WorkflowBase',
  tableName: 'workflow_bases',
  properties: {
    tenantId: p.text().primary(),
    workflowId: p.text().primary(),
    version: p.integer().primary(),
    name: p.text().nullable(),
    spec: p.json<WorkflowSpec>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
