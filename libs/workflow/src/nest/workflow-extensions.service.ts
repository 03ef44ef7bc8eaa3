import { Injectable } from '@nestjs/common';
import { orderExtensions } from '../composer/extension-order.js';
import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { checkExtensionWrite, type ExtensionIssue } from './extension-write.checker.js';
import { WorkflowBasesService } from './workflow-bases.service.js';
import { issueDetail, storedExtensionPrefix, type WorkflowErrorDetail } from './workflow-error.mapper.js';
import {
  WorkflowExtensionRepository,
  type WorkflowExtensionRecord,
} from './workflow-extension.repository.js';
import type {
  PutWorkflowExtensionDto,
  WorkflowExtensionDto,
  WorkflowExtensionListDto,
} from './workflow-extension.dto.js';
import { conflict, notFound, unprocessable } from '@lssm/nest-common';
import { extensionFromBody } from './workflow-request.mapper.js';

/** Every compose applies them all and the listing returns them all: both stay bounded. */
export const MAX_EXTENSIONS_PER_WORKFLOW = 100;

/**
 * A tenant's extensions of its workflows. Like an Odoo view extension at install time, a
 * write is checked against the base it targets: an extension whose anchors are missing is
 * refused (422), and so is a write or delete that would break the tenant's other extensions
 * (409), so a stored set of extensions composes unless a new base version moved its anchors.
 */
@Injectable()
export class WorkflowExtensionsService {
  constructor(
    private readonly extensions: WorkflowExtensionRepository,
    private readonly bases: WorkflowBasesService,
  ) {}

  async list(tenantId: string, workflowId: string): Promise<WorkflowExtensionListDto> {
    await this.bases.require(tenantId, workflowId);
    const records = await this.extensions.list(tenantId, workflowId);
    const byExtension = new Map(records.map((r) => [r.extension, r]));
    return {
      workflowId,
      items: orderExtensions(records.map((r) => r.extension)).map((e) => toDto(byExtension.get(e)!)),
    };
  }

  async get(tenantId: string, workflowId: string, extensionId: string): Promise<WorkflowExtensionDto> {
    const record = await this.extensions.find(tenantId, workflowId, extensionId);
    if (!record) throw await this.missing(tenantId, workflowId, extensionId);
    return toDto(record);
  }

  async put(
    tenantId: string,
    workflowId: string,
    extensionId: string,
    body: PutWorkflowExtensionDto,
  ): Promise<{ dto: WorkflowExtensionDto; created: boolean }> {
    const candidate = extensionFromBody(tenantId, workflowId, extensionId, body);
    const latest = await this.bases.find(tenantId, workflowId);
    if (!latest) throw notFound('workflow_not_found', `Workflow ${workflowId} not found`);
    // A pinned extension is checked against the version it is pinned to, else the newest.
    const target =
      candidate.baseVersion === undefined || candidate.baseVersion === latest.version
        ? latest
        : await this.pinnedVersion(tenantId, workflowId, candidate.baseVersion);
    return this.extensions.locked(tenantId, workflowId, async (tx) => {
      const stored = await this.extensions.list(tenantId, workflowId, tx);
      const current = stored.find((r) => r.extension.extensionId === extensionId)?.extension;
      if (!current && stored.length >= MAX_EXTENSIONS_PER_WORKFLOW) {
        throw conflict(
          'too_many_extensions',
          `${workflowId} already has ${MAX_EXTENSIONS_PER_WORKFLOW} extensions; delete one before adding another`,
        );
      }
      const verdict = checkExtensionWrite(target.spec, extensionsOf(stored), current, candidate);
      if (verdict.own.length > 0) {
        throw unprocessable(
          'incompatible_extension',
          `Extension ${extensionId} does not fit ${workflowId} version ${target.version}`,
          [...details(verdict.own, extensionId), ...details(verdict.siblings, extensionId)],
        );
      }
      if (verdict.siblings.length > 0) {
        throw conflict(
          'breaks_extensions',
          `Storing extension ${extensionId} would break other extensions of ${workflowId}: ${names(verdict.siblings)}`,
          details(verdict.siblings, extensionId),
        );
      }
      const { record, created } = await this.extensions.upsert(tx, candidate);
      return { dto: toDto(record), created };
    });
  }

  async delete(tenantId: string, workflowId: string, extensionId: string): Promise<void> {
    const latest = await this.bases.find(tenantId, workflowId);
    if (!latest) throw notFound('workflow_not_found', `Workflow ${workflowId} not found`);
    await this.extensions.locked(tenantId, workflowId, async (tx) => {
      const stored = await this.extensions.list(tenantId, workflowId, tx);
      const current = stored.find((r) => r.extension.extensionId === extensionId)?.extension;
      if (!current) throw extensionNotFound(workflowId, extensionId);
      const verdict = checkExtensionWrite(latest.spec, extensionsOf(stored), current, undefined);
      if (verdict.siblings.length > 0) {
        throw conflict(
          'extension_in_use',
          `Other extensions of ${workflowId} rely on ${extensionId}: ${names(verdict.siblings)}; change or delete them first`,
          details(verdict.siblings, extensionId),
        );
      }
      await this.extensions.delete(tx, tenantId, workflowId, extensionId);
    });
  }

  private async pinnedVersion(tenantId: string, workflowId: string, version: number) {
    const base = await this.bases.find(tenantId, workflowId, version);
    if (!base) {
      throw unprocessable('base_version_not_found', `Workflow ${workflowId} has no version ${version}`, [
        { path: 'baseVersion', code: 'base_version_not_found', message: `no stored version ${version}` },
      ]);
    }
    return base;
  }

  private async missing(tenantId: string, workflowId: string, extensionId: string) {
    await this.bases.require(tenantId, workflowId);
    return extensionNotFound(workflowId, extensionId);
  }
}

const extensionNotFound = (workflowId: string, extensionId: string) =>
  notFound('extension_not_found', `Workflow ${workflowId} has no extension ${extensionId}`);

const extensionsOf = (records: readonly WorkflowExtensionRecord[]): WorkflowExtension[] =>
  records.map((r) => r.extension);

const names = (issues: readonly ExtensionIssue[]) =>
  [...new Set(issues.map((i) => i.extensionId))].join(', ');

/** The written extension's issues point into the request body; the others' into stored extensions. */
function details(issues: readonly ExtensionIssue[], writtenId: string): WorkflowErrorDetail[] {
  return issues.map(({ extensionId, issue }) =>
    issueDetail(extensionId, issue, extensionId === writtenId ? '' : storedExtensionPrefix(extensionId)),
  );
}

function toDto(record: WorkflowExtensionRecord): WorkflowExtensionDto {
  return {
    ...(record.extension as unknown as Omit<WorkflowExtensionDto, 'createdAt' | 'updatedAt'>),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
