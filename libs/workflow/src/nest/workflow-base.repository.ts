import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import type { InferEntity } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { DatabasePool, jsonValue } from '@lssm/nest-common';
import type { WorkflowSpec } from '../contracts/workflow-spec.types.js';
import { WorkflowBaseEntity } from './workflow-base.entity.js';

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

const toRecord = (r: InferEntity<typeof WorkflowBaseEntity>): WorkflowBaseRecord => ({
  workflowId: r.workflowId,
  version: r.version,
  name: r.name ?? null,
  spec: r.spec,
  createdAt: r.createdAt,
});

/** Every statement takes the tenant as its first condition: there is no cross-tenant query. */
@Injectable()
export class WorkflowBaseRepository {
  constructor(
    private readonly orm: MikroORM,
    @Inject(DatabasePool) private readonly db: DatabasePool,
  ) {}

  /** One version, or the newest when `version` is undefined. */
  async find(
    tenantId: string,
    workflowId: string,
    version?: number,
  ): Promise<WorkflowBaseRecord | undefined> {
    const em = this.orm.em.fork();
    const row =
      version === undefined
        ? await em.findOne(WorkflowBaseEntity, { tenantId, workflowId }, { orderBy: { version: 'desc' } })
        : await em.findOne(WorkflowBaseEntity, { tenantId, workflowId, version });
    return row ? toRecord(row) : undefined;
  }

  /** Newest first, without the specs. */
  async versions(tenantId: string, workflowId: string): Promise<Omit<WorkflowBaseRecord, 'spec'>[]> {
    const rows = await this.orm.em.fork().find(
      WorkflowBaseEntity,
      { tenantId, workflowId },
      {
        fields: ['workflowId', 'version', 'name', 'createdAt'],
        orderBy: { version: 'desc' },
        limit: MAX_LISTED,
      },
    );
    return rows.map((r) => ({
      workflowId: r.workflowId,
      version: r.version,
      name: r.name ?? null,
      createdAt: r.createdAt,
    }));
  }

  /** A summary per workflow (grouped, with a count of its extensions): one set-based read. */
  async list(tenantId: string): Promise<WorkflowSummaryRecord[]> {
    const { rows } = await this.db.read.query<{
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
       from workflow_bases b where b.tenant_id = $1
       group by b.tenant_id, b.workflow_id order by b.workflow_id limit $2`,
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
   * Stores a new version, or reports the stored one and whether it has the same content (key
   * order aside), in a way two concurrent PUTs of one version cannot both win: the insert's
   * ON CONFLICT DO NOTHING decides which one created it.
   */
  async insertOrCompare(
    tenantId: string,
    spec: WorkflowSpec,
  ): Promise<{ record: WorkflowBaseRecord; created: boolean; same: boolean }> {
    const em = this.orm.em.fork();
    const content = jsonValue(spec);
    const inserted = await em
      .createQueryBuilder(WorkflowBaseEntity)
      .insert({
        tenantId,
        workflowId: spec.id,
        version: spec.version,
        name: spec.name ?? null,
        spec: content,
        createdAt: new Date(),
      })
      .onConflict(['tenantId', 'workflowId', 'version'])
      .ignore()
      .execute('run');
    const row = await em.findOneOrFail(WorkflowBaseEntity, {
      tenantId,
      workflowId: spec.id,
      version: spec.version,
    });
    const created = inserted.affectedRows > 0;
    // Both sides as jsonb returns them: parsed JSON, so object key order does not count.
    return { record: toRecord(row), created, same: created || isDeepStrictEqual(row.spec, content) };
  }
}
