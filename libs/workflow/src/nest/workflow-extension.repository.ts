import { Injectable } from '@nestjs/common';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { json, toDate, WorkflowDatabase, type WorkflowQuery } from './workflow-database.js';

export interface WorkflowExtensionRecord {
  readonly extension: WorkflowExtension;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface ExtensionRow {
  spec: WorkflowExtension;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'spec, created_at, updated_at';

const toRecord = (r: ExtensionRow): WorkflowExtensionRecord => ({
  extension: r.spec,
  createdAt: toDate(r.created_at),
  updatedAt: toDate(r.updated_at),
});

/**
 * Every statement takes the tenant as its first condition: there is no cross-tenant query.
 * The write methods take the query function of the caller's transaction.
 */
@Injectable()
export class WorkflowExtensionRepository {
  constructor(private readonly db: WorkflowDatabase) {}

  async find(
    tenantId: string,
    workflowId: string,
    extensionId: string,
  ): Promise<WorkflowExtensionRecord | undefined> {
    const rows = await this.db.query<ExtensionRow>(
      `select ${COLUMNS} from workflow_extensions where tenant_id = ? and workflow_id = ? and extension_id = ?`,
      [tenantId, workflowId, extensionId],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(
    tenantId: string,
    workflowId: string,
    query: WorkflowQuery = (sql, params) => this.db.query(sql, params),
  ): Promise<WorkflowExtensionRecord[]> {
    const rows = await query<ExtensionRow>(
      `select ${COLUMNS} from workflow_extensions where tenant_id = ? and workflow_id = ? order by extension_id`,
      [tenantId, workflowId],
    );
    return rows.map(toRecord);
  }

  /** The extensions whose scope matches the context: a null role or device column means "any". */
  async matching(
    tenantId: string,
    workflowId: string,
    context: { role?: string; device?: string },
  ): Promise<WorkflowExtension[]> {
    const rows = await this.db.query<{ spec: WorkflowExtension }>(
      `select spec from workflow_extensions where tenant_id = ? and workflow_id = ?
         and (role is null or role = ?) and (device is null or device = ?)`,
      [tenantId, workflowId, context.role ?? null, context.device ?? null],
    );
    return rows.map((r) => r.spec);
  }

  /** Serialises extension writes of one workflow, so two checks cannot pass on stale siblings. */
  async lockWorkflow(query: WorkflowQuery, tenantId: string, workflowId: string): Promise<void> {
    await query(`select pg_advisory_xact_lock(hashtext('workflow_extensions'), hashtext(? || '/' || ?))`, [
      tenantId,
      workflowId,
    ]);
  }

  async upsert(
    query: WorkflowQuery,
    extension: WorkflowExtension,
  ): Promise<{ record: WorkflowExtensionRecord; created: boolean }> {
    const { scope } = extension;
    // xmax is 0 only on a freshly inserted row: tells a create from an update in one statement.
    const rows = await query<ExtensionRow & { created: boolean }>(
      `insert into workflow_extensions
         (tenant_id, workflow_id, extension_id, role, device, base_version, priority, spec)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
       on conflict (tenant_id, workflow_id, extension_id) do update set
         role = excluded.role, device = excluded.device, base_version = excluded.base_version,
         priority = excluded.priority, spec = excluded.spec, updated_at = now()
       returning ${COLUMNS}, (xmax = 0) as created`,
      [
        scope.tenantId,
        extension.workflowId,
        extension.extensionId,
        scope.role ?? null,
        scope.device ?? null,
        extension.baseVersion ?? null,
        extension.priority ?? 0,
        json(extension),
      ],
    );
    const row = rows[0]!;
    return { record: toRecord(row), created: row.created };
  }

  async delete(
    query: WorkflowQuery,
    tenantId: string,
    workflowId: string,
    extensionId: string,
  ): Promise<boolean> {
    const rows = await query<{ extension_id: string }>(
      `delete from workflow_extensions where tenant_id = ? and workflow_id = ? and extension_id = ?
       returning extension_id`,
      [tenantId, workflowId, extensionId],
    );
    return rows.length > 0;
  }
}
