import { Inject, Injectable } from '@nestjs/common';
import { checkCompatibility } from '../compatibility/compatibility-checker.js';
import type { WorkflowComposer } from '../composer/workflow-composer.js';
import { WorkflowCompositionError } from '../composer/workflow-composition.error.js';
import type { CompositionContext } from '../contracts/composition.types.js';
import { WorkflowBasesService } from './workflow-bases.service.js';
import type {
  CompatibilityReportDto,
  ComposedWorkflowDto,
  ComposeQueryDto,
} from './workflow-composition.dto.js';
import { compositionDetails } from './workflow-error.mapper.js';
import { WorkflowExtensionRepository } from './workflow-extension.repository.js';
import { unprocessable } from '@lssm/nest-common';
import { WORKFLOW_COMPOSER } from './workflow-nest.tokens.js';
import { workflowFromBody } from './workflow-request.mapper.js';
import type { WorkflowCandidateDto } from './workflow.dto.js';

/** Composition and the compatibility check over the caller's stored base and extensions. */
@Injectable()
export class WorkflowCompositionService {
  constructor(
    private readonly bases: WorkflowBasesService,
    private readonly extensions: WorkflowExtensionRepository,
    @Inject(WORKFLOW_COMPOSER) private readonly composer: WorkflowComposer,
  ) {}

  async compose(tenantId: string, workflowId: string, query: ComposeQueryDto): Promise<ComposedWorkflowDto> {
    const base = await this.bases.require(tenantId, workflowId, query.version);
    const context: CompositionContext = {
      tenantId,
      ...(query.role !== undefined && { role: query.role }),
      ...(query.device !== undefined && { device: query.device }),
    };
    const extensions = await this.extensions.matching(tenantId, workflowId, context);
    try {
      const result = this.composer.compose(base.spec, extensions, context);
      return {
        workflowId,
        baseVersion: base.version,
        context,
        workflow: result.workflow as never,
        applied: result.applied as never,
        provenance: result.provenance as never,
        removed: result.removed as never,
      };
    } catch (error) {
      if (!(error instanceof WorkflowCompositionError)) throw error;
      throw unprocessable(error.code, error.message, compositionDetails(error));
    }
  }

  /** What publishing `body` as a new version would break, for every stored extension. */
  async check(
    tenantId: string,
    workflowId: string,
    body: WorkflowCandidateDto,
  ): Promise<CompatibilityReportDto> {
    const candidate = workflowFromBody(workflowId, body);
    const [latest, stored] = await Promise.all([
      this.bases.find(tenantId, workflowId),
      this.extensions.list(tenantId, workflowId),
    ]);
    const report = checkCompatibility(
      candidate,
      stored.map((r) => r.extension),
    );
    return {
      workflowId,
      baseVersion: report.baseVersion,
      latestVersion: latest?.version ?? null,
      compatible: report.compatible,
      baseErrors: report.baseErrors as never,
      extensions: report.extensions as never,
      breaking: report.breaking as never,
    };
  }
}
