import { Injectable } from '@nestjs/common';
import { conflict, isDomainError, unprocessable } from '@lssm/nest-common';
import type { OverlayScope, OverlaySpec } from '@lssm/overlay';
import { OverlaysService } from '@lssm/overlay/nest';
import { validateWorkflow, type WorkflowExtension, type WorkflowSpec } from '@lssm/workflow';
import {
  insightsToOverlaySuggestion,
  insightsToWorkflowTweaks,
  type BehaviorInsights,
} from '@lssm/personalization';
import {
  DEFAULT_INSIGHTS_WINDOW_MS,
  PersonalizationInsightsService,
} from './personalization-insights.service.js';
import type {
  CreatePersonalizationSuggestionDto,
  SuggestionOutcome,
} from './personalization-suggestions.dto.js';

export interface SuggestionResult {
  readonly outcome: SuggestionOutcome;
  readonly message: string;
  readonly draft: OverlayDraft | null;
  readonly workflowTweaks: WorkflowExtension[];
  readonly insights: BehaviorInsights;
}

/** The overlay service's OverlayDto (its class is not exported; its shape is the contract). */
export type OverlayDraft = Awaited<ReturnType<OverlaysService['createDraft']>>;

const MAX_WORKFLOWS = 100;

/** Analysis → adapter → overlay draft (through OverlaysService), ready for an admin to review and sign. */
@Injectable()
export class PersonalizationSuggestionsService {
  constructor(
    private readonly insights: PersonalizationInsightsService,
    private readonly overlays: OverlaysService,
  ) {}

  async suggest(tenantId: string, body: CreatePersonalizationSuggestionDto): Promise<SuggestionResult> {
    // Checked before any work so a bad workflow never leaves a draft behind.
    const workflows = checkedWorkflows(body.workflows);
    const known = body.fields ?? (await this.storedFields(tenantId, body.capability));
    const insights = await this.insights.analyze({
      tenantId,
      ...(body.userId !== undefined && { userId: body.userId }),
      ...(body.role !== undefined && { role: body.role }),
      windowMs: body.windowMs ?? DEFAULT_INSIGHTS_WINDOW_MS,
      ...(body.until !== undefined && { until: new Date(body.until) }),
      ...(known && { fields: Object.fromEntries([[body.capability, known]]) }),
    });

    const suggestion = insightsToOverlaySuggestion(insights, {
      overlayId: body.overlayId,
      tenantId,
      capability: body.capability,
      ...(body.scope !== undefined && { scope: cleanScope(body.scope) }),
    });
    const workflowTweaks = workflows ? insightsToWorkflowTweaks(insights, { tenantId, workflows }) : [];

    if (!suggestion) {
      const tweaks = workflowTweaks.length;
      return {
        outcome: tweaks > 0 ? 'workflow_tweaks_only' : 'nothing_to_suggest',
        message:
          `Nothing to change on ${body.capability}: no known field is rarely used and never edited, ` +
          `and none is used often enough to move first` +
          (tweaks > 0 ? `; ${tweaks} workflow tweak${tweaks === 1 ? '' : 's'} suggested.` : '.'),
        draft: null,
        workflowTweaks,
        insights,
      };
    }
    const { draft, replaced } = await this.storeDraft(tenantId, suggestion, body.replaceDraft === true);
    return {
      outcome: replaced ? 'draft_updated' : 'draft_created',
      message: `${replaced ? 'Replaced' : 'Stored'} draft version ${draft.version} of ${draft.overlayId}: ${describe(suggestion)}; review it, then sign it with POST /api/overlays/${draft.overlayId}/sign to publish.`,
      draft,
      workflowTweaks,
      insights,
    };
  }

  /** The stored base spec's field names; none stored means only observed fields are known. */
  private async storedFields(tenantId: string, capability: string): Promise<string[] | undefined> {
    try {
      return (await this.insights.baseSpecFields(tenantId, [capability]))[capability];
    } catch (error) {
      if (isDomainError(error, 'base_spec_not_found')) return undefined;
      throw error;
    }
  }

  private async storeDraft(tenantId: string, spec: OverlaySpec, replace: boolean) {
    const content = {
      capability: spec.capability,
      scope: spec.scope,
      operations: spec.operations as never,
      ...(spec.metadata !== undefined && { metadata: spec.metadata as Record<string, unknown> }),
    };
    try {
      const draft = await this.overlays.createDraft(tenantId, { overlayId: spec.overlayId, ...content });
      return { draft, replaced: false };
    } catch (error) {
      if (!isDomainError(error, 'draft_exists')) throw error;
      if (!replace) {
        throw conflict(
          'draft_exists',
          `Overlay ${spec.overlayId} already has an unsigned draft; review and sign it, or send replaceDraft: true to replace it with this suggestion`,
        );
      }
      const draft = await this.overlays.updateDraft(tenantId, spec.overlayId, content);
      return { draft, replaced: true };
    }
  }
}

function checkedWorkflows(
  value: Record<string, unknown> | undefined,
): Record<string, WorkflowSpec> | undefined {
  if (value === undefined) return undefined;
  const entries = Object.entries(value);
  if (entries.length > MAX_WORKFLOWS) {
    throw unprocessable('invalid_workflow', `At most ${MAX_WORKFLOWS} workflows`, [
      { path: 'workflows', code: 'max_items', message: `at most ${MAX_WORKFLOWS} workflows` },
    ]);
  }
  const details = entries.flatMap(([name, spec]) =>
    validateWorkflow(spec).errors.map((e) => ({
      path: `workflows.${name}${e.path ? `.${e.path}` : ''}`,
      code: e.code,
      message: e.message,
    })),
  );
  if (details.length > 0) {
    throw unprocessable('invalid_workflow', 'A workflow base spec is invalid', details);
  }
  return Object.fromEntries(entries) as Record<string, WorkflowSpec>;
}

/** DTO instances carry undefined own properties; the signed JSON must not. */
function cleanScope(scope: OverlayScope): OverlayScope {
  return {
    ...(scope.role !== undefined && { role: scope.role }),
    ...(scope.userId !== undefined && { userId: scope.userId }),
    ...(scope.device !== undefined && { device: scope.device }),
  };
}

function describe(spec: OverlaySpec): string {
  const hides = spec.operations.filter((op) => op.type === 'hideField').length;
  const reorder = spec.operations.find((op) => op.type === 'reorderFields');
  const parts: string[] = [];
  if (hides > 0) parts.push(`hide ${hides} rarely used field${hides === 1 ? '' : 's'}`);
  if (reorder?.type === 'reorderFields') parts.push(`put the ${reorder.fields.length} most used first`);
  return parts.join(', ');
}
