import { Injectable } from '@nestjs/common';
import { conflict, notFound, type DomainError } from '@lssm/nest-common';
import { WorkflowBaseRepository, type WorkflowBaseRecord } from './workflow-base.repository.js';
import { workflowFromBody } from './workflow-request.mapper.js';
import type {
  PutWorkflowVersionDto,
  WorkflowListDto,
  WorkflowVersionDto,
  WorkflowVersionListDto,
} from './workflow.dto.js';

/** Base workflows: versions are immutable once stored, and belong to one tenant. */
@Injectable()
export class WorkflowBasesService {
  constructor(private readonly bases: WorkflowBaseRepository) {}

  async list(tenantId: string): Promise<WorkflowListDto> {
    return { items: await this.bases.list(tenantId) };
  }

  async get(tenantId: string, workflowId: string, version?: number): Promise<WorkflowVersionDto> {
    return toVersionDto(await this.require(tenantId, workflowId, version));
  }

  async versions(tenantId: string, workflowId: string): Promise<WorkflowVersionListDto> {
    const items = await this.bases.versions(tenantId, workflowId);
    if (items.length === 0) throw workflowNotFound(workflowId);
    return {
      workflowId,
      latestVersion: items[0]!.version,
      items: items.map(({ version, name, createdAt }) => ({ version, name, createdAt })),
    };
  }

  /**
   * Publishing the same body again is a no-op (safe retries); a different body at a stored
   * version is a conflict, since extensions pinned to it rely on its anchors.
   */
  async put(
    tenantId: string,
    workflowId: string,
    version: number,
    body: PutWorkflowVersionDto,
  ): Promise<{ dto: WorkflowVersionDto; created: boolean }> {
    const spec = workflowFromBody(workflowId, body, version);
    const outcome = await this.bases.insertOrCompare(tenantId, spec);
    if (!outcome.same) {
      throw conflict(
        'version_exists',
        `Workflow ${workflowId} version ${version} already exists with other content; versions never change, publish a new version`,
      );
    }
    return { dto: toVersionDto(outcome.record), created: outcome.created };
  }

  /** The version (the newest by default), or a 404 telling an unknown workflow from an unknown version. */
  async require(tenantId: string, workflowId: string, version?: number): Promise<WorkflowBaseRecord> {
    const record = await this.bases.find(tenantId, workflowId, version);
    if (record) return record;
    if (version === undefined || !(await this.bases.find(tenantId, workflowId))) {
      throw workflowNotFound(workflowId);
    }
    throw workflowNotFound(workflowId, version);
  }

  /** The version (the newest by default), if stored. */
  find(tenantId: string, workflowId: string, version?: number): Promise<WorkflowBaseRecord | undefined> {
    return this.bases.find(tenantId, workflowId, version);
  }
}

function toVersionDto(r: WorkflowBaseRecord): WorkflowVersionDto {
  return {
    workflowId: r.workflowId,
    version: r.version,
    name: r.name,
    spec: r.spec as never,
    createdAt: r.createdAt,
  };
}

function workflowNotFound(workflowId: string, version?: number): DomainError {
  return version === undefined
    ? notFound('workflow_not_found', `Workflow ${workflowId} not found`)
    : notFound('workflow_version_not_found', `Workflow ${workflowId} has no version ${version}`);
}
