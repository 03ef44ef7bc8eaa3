import { Injectable } from '@nestjs/common';
import type { FilterQuery, InferEntity } from '@mikro-orm/core';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { jsonValue } from '@lssm/nest-common';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { WorkflowExtensionEntity } from './workflow-extension.entity.js';

export interface WorkflowExtensionRecord {
  readonly extension: WorkflowExtension;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The transaction of one locked write, as `locked` hands it to its work. */
export type WorkflowExtensionTransaction = EntityManager;

type ExtensionRow = InferEntity<typeof WorkflowExtensionEntity>;

const toRecord = (r: ExtensionRow): WorkflowExtensionRecord => ({
  extension: r.spec,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/**
 * Every statement takes the tenant as its first condition: there is no cross-tenant query.
 * The write methods take the transaction `locked` opened.
 */
@Injectable()
export class WorkflowExtensionRepository {
  constructor(private readonly orm: MikroORM) {}

  async find(
    tenantId: string,
    workflowId: string,
    extensionId: string,
  ): Promise<WorkflowExtensionRecord | undefined> {
    const row = await this.orm.em
      .fork()
      .findOne(WorkflowExtensionEntity, { tenantId, workflowId, extensionId });
    return row ? toRecord(row) : undefined;
  }

  async list(
    tenantId: string,
    workflowId: string,
    tx: WorkflowExtensionTransaction = this.orm.em.fork(),
  ): Promise<WorkflowExtensionRecord[]> {
    const rows = await tx.find(
      WorkflowExtensionEntity,
      { tenantId, workflowId },
      { orderBy: { extensionId: 'asc' } },
    );
    return rows.map(toRecord);
  }

  /** The extensions whose scope matches the context: a null role or device column means "any". */
  async matching(
    tenantId: string,
    workflowId: string,
    context: { role?: string; device?: string },
  ): Promise<WorkflowExtension[]> {
    const where: FilterQuery<ExtensionRow> = {
      tenantId,
      workflowId,
      $and: [anyOr('role', context.role), anyOr('device', context.device)],
    };
    const rows = await this.orm.em.fork().find(WorkflowExtensionEntity, where, { fields: ['spec'] });
    return rows.map((r) => r.spec);
  }

  /**
   * Runs `work` in one transaction that first takes the workflow's advisory lock: extension
   * writes of one workflow are serialised, so two checks cannot pass on stale siblings.
   */
  locked<T>(
    tenantId: string,
    workflowId: string,
    work: (tx: WorkflowExtensionTransaction) => Promise<T>,
  ): Promise<T> {
    return this.orm.em.fork().transactional(async (tx) => {
      await tx.execute(
        `select pg_advisory_xact_lock(hashtext('workflow_extensions'), hashtext(? || '/' || ?))`,
        [tenantId, workflowId],
      );
      return work(tx);
    });
  }

  /** Creates or replaces; a find then a write is safe because every writer holds the lock. */
  async upsert(
    tx: WorkflowExtensionTransaction,
    extension: WorkflowExtension,
  ): Promise<{ record: WorkflowExtensionRecord; created: boolean }> {
    const { scope } = extension;
    const key = {
      tenantId: scope.tenantId,
      workflowId: extension.workflowId,
      extensionId: extension.extensionId,
    };
    const now = new Date();
    const columns = {
      role: scope.role ?? null,
      device: scope.device ?? null,
      baseVersion: extension.baseVersion ?? null,
      priority: extension.priority ?? 0,
      spec: jsonValue(extension),
      updatedAt: now,
    };
    const existing = await tx.findOne(WorkflowExtensionEntity, key);
    if (existing) {
      Object.assign(existing, columns);
      await tx.flush();
      return { record: toRecord(existing), created: false };
    }
    const row = tx.create(WorkflowExtensionEntity, { ...key, ...columns, createdAt: now });
    await tx.flush();
    return { record: toRecord(row), created: true };
  }

  async delete(
    tx: WorkflowExtensionTransaction,
    tenantId: string,
    workflowId: string,
    extensionId: string,
  ): Promise<boolean> {
    return (await tx.nativeDelete(WorkflowExtensionEntity, { tenantId, workflowId, extensionId })) > 0;
  }
}

/** `column is null`, or also `column = value` when the context has a value. */
function anyOr(column: 'role' | 'device', value: string | undefined): FilterQuery<ExtensionRow> {
  return value === undefined ? { [column]: null } : { $or: [{ [column]: null }, { [column]: value }] };
}
