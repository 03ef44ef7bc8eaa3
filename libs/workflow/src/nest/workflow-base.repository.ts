import { Injectable } from '@nestjs/common';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { json, toDate, WorkflowDatabase } from './workflow-database.js';

/** Listings stay bounded: at most this many workflows, or versions of one workflow. */
export const MAX_LISTED = 1000;

export interface WorkflowBaseRecord {
  readonly workflowId: string;
  readonly version: number;
  readonly name: string | null;
  readonly spec: WorkflowSpec;
  readonly createdAt: Date;
}

export interface WorkflowSummaryRecord {
  readonly workflowId: string;
  readonly latestVersion: number;
  readonly name: string | null;
  readonly versions: number[];
  readonly extensionCount: number;
}

interface BaseRow {
  workflow_id: string;
  version: number;
  name: string | null;
  spec: WorkflowSpec;
  created_at: Date | string;
}

const COLUMNS = 'workflow_id, version, name, spec, created_at';

const toRecord = (r: BaseRow): WorkflowBaseRecord => ({
  workflowId: r.workflow_id,
  version: r.version,
  name: r.name,
  spec: r.spec,
  createdAt: toDate(r.created_at),
});

/** Every statement takes the tenant as its first condition: there is no cross-tenant query. */
@Injectable()
export class WorkflowBaseRepository {
  constructor(private readonly db: WorkflowDatabase) {}

  /** One version, or the newest when `version` is undefined. */
  async find(
    tenantId: string,
    workflowId: string,
    version?: number,
  ): Promise<WorkflowBaseRecord | undefined> {
    const rows =
      version === undefined
        ? await this.db.query<BaseRow>(
            `select ${COLUMNS} from workflow_bases where tenant_id = ? and workflow_id = ?
             order by version desc limit 1`,
            [tenantId, workflowId],
          )
        : await this.db.query<BaseRow>(
            `select ${COLUMNS} from workflow_bases where tenant_id = ? and workflow_id = ? and version = ?`,
            [tenantId, workflowId, version],
          );
    return rows[0] && toRecord(rows[0]);
  }

  /** Newest first, without the specs. */
  async versions(tenantId: string, workflowId: string): Promise<Omit<WorkflowBaseRecord, 'spec'>[]> {
    const rows = await this.db.query<Omit<BaseRow, 'spec'>>(
      `select workflow_id, version, name, created_at from workflow_bases
       where tenant_id = ? and workflow_id = ? order by version desc limit ?`,
      [tenantId, workflowId, MAX_LISTED],
    );
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      version: r.version,
      name: r.name,
      createdAt: toDate(r.created_at),
    }));
  }

  async list(tenantId: string): Promise<WorkflowSummaryRecord[]> {
    const rows = await this.db.query<{
      workflow_id: string;
      versions: number[];
      name: string | null;
      extension_count: string;
    }>(
      `select b.workflow_id,
              (array_agg(b.version order by b.version desc))[1:${MAX_LISTED}] as versions,
              (array_agg(b.name order by b.version desc))[1] as name,
              (select count(*) from workflow_extensions e
                where e.tenant_id = b.tenant_id and e.workflow_id = b.workflow_id) as extension_count
       from workflow_bases b where b.tenant_id = ?
       group by b.tenant_id, b.workflow_id order by b.workflow_id limit ?`,
      [tenantId, MAX_LISTED],
    );
    return rows.map((r) => ({
      workflowId: r.workflow_id,
      latestVersion: r.versions[0]!,
      name: r.name,
      versions: r.versions,
      extensionCount: Number(r.extension_count),
    }));
  }

  /**
   * Stores a new version, or reports the stored one and whether it has the same content (jsonb
   * equality ignores key order), in a way two concurrent PUTs of one version cannot both win.
   */
  async insertOrCompare(
    tenantId: string,
    spec: WorkflowSpec,
  ): Promise<{ record: WorkflowBaseRecord; created: boolean; same: boolean }> {
    const inserted = await this.db.query<BaseRow>(
      `insert into workflow_bases (tenant_id, workflow_id, version, name, spec) values (?, ?, ?, ?, ?::jsonb)
       on conflict (tenant_id, workflow_id, version) do nothing returning ${COLUMNS}`,
      [tenantId, spec.id, spec.version, spec.name ?? null, json(spec)],
    );
    if (inserted[0]) return { record: toRecord(inserted[0]), created: true, same: true };
    const existing = await this.db.query<BaseRow & { same: boolean }>(
      `select ${COLUMNS}, spec = ?::jsonb as same from workflow_bases
       where tenant_id = ? and workflow_id = ? and version = ?`,
      [json(spec), tenantId, spec.id, spec.version],
    );
    const row = existing[0]!;
    return { record: toRecord(row), created: false, same: row.same };
  }
}
