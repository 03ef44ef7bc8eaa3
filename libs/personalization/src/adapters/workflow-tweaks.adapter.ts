// Types only, so the adapter adds no workflow code to a browser bundle; the dependency points from
// personalization to workflow and never back, so workflow stays usable without the tracker.
import type {
  ExtensionScope,
  NotificationChannel,
  WorkflowExtension,
  WorkflowOperation,
  WorkflowSpec,
} from '@lssm/workflow';
import type { BehaviorInsights, WorkflowBottleneck } from '../analysis/behavior-insights.js';
import { describeAudience, describeWindow } from './insight-evidence.formatter.js';

export interface WorkflowTweaksOptions {
  /** Must equal `insights.scope.tenantId`: one tenant's behaviour never shapes another's workflows. */
  tenantId: string;
  /** Base specs by the workflow name the tracker used; bottlenecks of other workflows are skipped. */
  workflows: Readonly<Record<string, WorkflowSpec>>;
  /** Extension scope role. Default: `insights.scope.role`. */
  role?: string;
  device?: string;
  /** Default `personalization.`. */
  extensionIdPrefix?: string;
  /** From this drop rate up an assisted review is added too. Default 0.8. */
  assistanceDropRateThreshold?: number;
  /** Default `in-app`. */
  reminderChannel?: NotificationChannel;
  /** Default `personalization.step-reminder`. */
  reminderTemplate?: string;
  /** Default `tenant-admin`. */
  reviewerRole?: string;
}

export const DEFAULT_WORKFLOW_TWEAKS = {
  extensionIdPrefix: 'personalization.',
  assistanceDropRateThreshold: 0.8,
  reminderChannel: 'in-app',
  reminderTemplate: 'personalization.step-reminder',
  reviewerRole: 'tenant-admin',
} as const;

/**
 * One extension per bottleneck step of a given workflow (rules: docs/personalization.md#suggestions):
 * a reminder notification inserted before the step, and from `assistanceDropRateThreshold` an
 * assisted review before the reminder. Both go *before* the step: people drop out while the step is
 * open, so only something that runs when it opens can reach them; a step after it would only run for
 * those who completed it, and would take over a branching step's outcome transitions.
 */
export function insightsToWorkflowTweaks(
  insights: BehaviorInsights,
  options: WorkflowTweaksOptions,
): WorkflowExtension[] {
  if (insights.scope.tenantId !== options.tenantId) {
    throw new RangeError(
      `insightsToWorkflowTweaks: insights are for tenant "${insights.scope.tenantId}", not "${options.tenantId}"`,
    );
  }
  const d = DEFAULT_WORKFLOW_TWEAKS;
  const settings = {
    extensionIdPrefix: options.extensionIdPrefix ?? d.extensionIdPrefix,
    assistanceDropRateThreshold: options.assistanceDropRateThreshold ?? d.assistanceDropRateThreshold,
    reminderChannel: options.reminderChannel ?? d.reminderChannel,
    reminderTemplate: options.reminderTemplate ?? d.reminderTemplate,
    reviewerRole: options.reviewerRole ?? d.reviewerRole,
  };
  const assistFrom = settings.assistanceDropRateThreshold;
  if (!(assistFrom >= 0 && assistFrom <= 1)) {
    throw new RangeError('insightsToWorkflowTweaks: assistanceDropRateThreshold must be within [0, 1]');
  }

  const scope: { tenantId: string; role?: string; device?: string } = { tenantId: options.tenantId };
  const role = options.role ?? insights.scope.role;
  if (role !== undefined) scope.role = role;
  if (options.device !== undefined) scope.device = options.device;

  // Step ids taken per workflow, so two bottlenecks of one workflow never generate the same id and
  // their extensions compose together.
  const taken = new Map<string, Set<string>>();
  const extensions: WorkflowExtension[] = [];
  for (const bottleneck of insights.workflowBottlenecks) {
    if (!Object.hasOwn(options.workflows, bottleneck.workflow)) continue;
    const base = options.workflows[bottleneck.workflow]!;
    const step = base.steps.find((s) => s.id === bottleneck.step);
    // A terminal step has nothing left to complete: its "drops" are instances that simply ended.
    if (!step || base.terminal.includes(step.id) || !Number.isFinite(bottleneck.dropRate)) continue;

    let ids = taken.get(base.id);
    if (!ids) taken.set(base.id, (ids = new Set(base.steps.map((s) => s.id))));
    const freeId = (wanted: string): string => {
      let id = wanted;
      for (let n = 2; ids.has(id); n++) id = `${wanted}-${n}`;
      ids.add(id);
      return id;
    };

    const operations: WorkflowOperation[] = [];
    const assisted = bottleneck.dropRate >= assistFrom;
    if (assisted) {
      operations.push({
        type: 'insertBefore',
        anchor: step.id,
        step: {
          id: freeId(`${step.id}-assist`),
          type: 'review',
          label: `Assisted review before "${step.label}"`,
          config: { reviewerRole: settings.reviewerRole, scope: 'tenant', assists: step.id },
        },
      });
    }
    // Inserted before the step after the assist, so it lands right before the step: it fires when the
    // step opens, not when the assist does.
    operations.push({
      type: 'insertBefore',
      anchor: step.id,
      step: {
        id: freeId(`${step.id}-reminder`),
        type: 'notification',
        label: `Reminder: ${step.label}`,
        config: {
          channel: settings.reminderChannel,
          template: settings.reminderTemplate,
          remindsOf: step.id,
        },
      },
    });

    extensions.push({
      extensionId: `${settings.extensionIdPrefix}${base.id}.${step.id}${scopeSuffix(scope)}`,
      workflowId: base.id,
      // Pinned: the anchors were checked against this version only.
      baseVersion: base.version,
      scope,
      description: describe(insights, bottleneck, assisted),
      operations,
    });
  }
  return extensions;
}

/**
 * Role and device go into the id: a tenant-wide and a role-scoped tweak of the same step both match a
 * request of that role, and the composer rejects two matched extensions with the same id.
 */
function scopeSuffix(scope: ExtensionScope): string {
  return (
    (scope.role === undefined ? '' : `.role-${scope.role}`) +
    (scope.device === undefined ? '' : `.device-${scope.device}`)
  );
}

function describe(insights: BehaviorInsights, b: WorkflowBottleneck, assisted: boolean): string {
  const percent = Math.round(b.dropRate * 100);
  const added = assisted ? 'an assisted review and a reminder' : 'a reminder';
  return (
    `Step "${b.step}" of "${b.workflow}": ${b.completed} of ${b.entered} entries completed ` +
    `(drop rate ${percent}%) for ${describeAudience(insights.scope)} ${describeWindow(insights.window)}. ` +
    `Adds ${added} before the step.`
  );
}
