import type { WorkflowStepEvent } from '../events/behavior-event.js';
import type { WorkflowBottleneck } from './behavior-insights.js';
import { compare } from './field-usage.analysis.js';

export interface WorkflowBottleneckThresholds {
  bottleneckDropRateThreshold: number;
  minStepEntries: number;
}

/**
 * What the drop-rate rule needs to know about one (workflow, step): computed from events or by SQL.
 * Loose counts come from events without `instanceId`, instance counts from events with one.
 */
export interface WorkflowStepTally {
  workflow: string;
  step: string;
  /** `entered` events without `instanceId`. */
  enteredEvents: number;
  /** `completed` events without `instanceId`. */
  completedEvents: number;
  /** Instances with an `entered` event for the step. */
  enteredInstances: number;
  /** ...of which completed it: a `completed` event, or a later `entered` of another step. */
  completedInstances: number;
}

/**
 * Drop rate of a step = 1 − completed / entered over the window.
 * - Events without `instanceId` are counted as they come: `entered` and `completed` events, with
 *   completions capped at entries (a completion whose entry predates the window has no matching entry).
 * - Events with `instanceId` are counted once per instance: the step is entered if the instance has an
 *   `entered` event for it; completed if it also has a `completed` event for it, or an `entered` event
 *   for a different step strictly later than its first entry of this step.
 * `abandoned` events carry no extra weight: a step entered and not completed already counts as a drop.
 */
export function analyzeWorkflowBottlenecks(
  events: readonly WorkflowStepEvent[],
  thresholds: WorkflowBottleneckThresholds,
): WorkflowBottleneck[] {
  return summarizeWorkflowBottlenecks(tallyWorkflowSteps(events), thresholds);
}

/** One tally per (workflow, step) entered or completed in `events`. */
export function tallyWorkflowSteps(events: readonly WorkflowStepEvent[]): WorkflowStepTally[] {
  const steps = new Map<string, WorkflowStepTally>();
  const tallyOf = (workflow: string, step: string): WorkflowStepTally => {
    const key = stepKey(workflow, step);
    let tally = steps.get(key);
    if (!tally)
      steps.set(
        key,
        (tally = {
          workflow,
          step,
          enteredEvents: 0,
          completedEvents: 0,
          enteredInstances: 0,
          completedInstances: 0,
        }),
      );
    return tally;
  };
  const instances = new Map<string, WorkflowStepEvent[]>();

  for (const event of events) {
    if (event.instanceId === undefined) {
      if (event.status === 'entered') tallyOf(event.workflow, event.step).enteredEvents += 1;
      if (event.status === 'completed') tallyOf(event.workflow, event.step).completedEvents += 1;
    } else {
      const key = stepKey(event.workflow, event.instanceId);
      const list = instances.get(key);
      if (list) list.push(event);
      else instances.set(key, [event]);
    }
  }

  for (const list of instances.values()) {
    const firstEntry = new Map<string, number>();
    const completedSteps = new Set<string>();
    for (const event of list) {
      if (event.status === 'entered') {
        const seen = firstEntry.get(event.step);
        if (seen === undefined || event.timestamp < seen) firstEntry.set(event.step, event.timestamp);
      } else if (event.status === 'completed') {
        completedSteps.add(event.step);
      }
    }
    const workflow = list[0]!.workflow;
    for (const [step, enteredAt] of firstEntry) {
      const movedOn = list.some((e) => e.status === 'entered' && e.step !== step && e.timestamp > enteredAt);
      const tally = tallyOf(workflow, step);
      tally.enteredInstances += 1;
      if (completedSteps.has(step) || movedOn) tally.completedInstances += 1;
    }
  }
  return [...steps.values()];
}

/** The bottleneck rule over per-step tallies; tallies of one (workflow, step) add up. */
export function summarizeWorkflowBottlenecks(
  tallies: readonly WorkflowStepTally[],
  thresholds: WorkflowBottleneckThresholds,
): WorkflowBottleneck[] {
  const steps = new Map<string, WorkflowStepTally>();
  for (const tally of tallies) {
    const key = stepKey(tally.workflow, tally.step);
    const sum = steps.get(key);
    if (!sum) {
      steps.set(key, { ...tally });
      continue;
    }
    sum.enteredEvents += tally.enteredEvents;
    sum.completedEvents += tally.completedEvents;
    sum.enteredInstances += tally.enteredInstances;
    sum.completedInstances += tally.completedInstances;
  }

  const bottlenecks: WorkflowBottleneck[] = [];
  for (const { workflow, step, ...n } of steps.values()) {
    // A loose completion whose entry predates the window has no entry to match: cap at entries.
    const entered = n.enteredEvents + n.enteredInstances;
    const completed = Math.min(n.completedEvents, n.enteredEvents) + n.completedInstances;
    if (entered === 0 || entered < thresholds.minStepEntries) continue;
    const dropRate = 1 - completed / entered;
    if (dropRate >= thresholds.bottleneckDropRateThreshold)
      bottlenecks.push({ workflow, step, dropRate, entered, completed });
  }
  return bottlenecks.sort(
    (a, b) =>
      b.dropRate - a.dropRate ||
      b.entered - a.entered ||
      compare(a.workflow, b.workflow) ||
      compare(a.step, b.step),
  );
}

function stepKey(a: string, b: string): string {
  // JSON keeps the pair unambiguous whatever characters the names contain.
  return JSON.stringify([a, b]);
}
