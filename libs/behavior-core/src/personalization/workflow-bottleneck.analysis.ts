import type { WorkflowStepEvent } from './behavior-event.js';
import type { WorkflowBottleneck } from './behavior-insights.js';
import { compare } from './field-usage.analysis.js';

export interface WorkflowBottleneckThresholds {
  bottleneckDropRateThreshold: number;
  minStepEntries: number;
}

interface StepTally {
  workflow: string;
  step: string;
  entered: number;
  completed: number;
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
  const loose = new Map<string, StepTally & { completions: number }>();
  const instances = new Map<string, WorkflowStepEvent[]>();

  for (const event of events) {
    if (event.instanceId === undefined) {
      const key = stepKey(event.workflow, event.step);
      let tally = loose.get(key);
      if (!tally)
        loose.set(
          key,
          (tally = { workflow: event.workflow, step: event.step, entered: 0, completed: 0, completions: 0 }),
        );
      if (event.status === 'entered') tally.entered += 1;
      if (event.status === 'completed') tally.completions += 1;
    } else {
      const key = stepKey(event.workflow, event.instanceId);
      const list = instances.get(key);
      if (list) list.push(event);
      else instances.set(key, [event]);
    }
  }

  const steps = new Map<string, StepTally>();
  const tallyOf = (workflow: string, step: string): StepTally => {
    const key = stepKey(workflow, step);
    let tally = steps.get(key);
    if (!tally) steps.set(key, (tally = { workflow, step, entered: 0, completed: 0 }));
    return tally;
  };

  for (const tally of loose.values()) {
    const target = tallyOf(tally.workflow, tally.step);
    target.entered += tally.entered;
    target.completed += Math.min(tally.completions, tally.entered);
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
      tally.entered += 1;
      if (completedSteps.has(step) || movedOn) tally.completed += 1;
    }
  }

  const bottlenecks: WorkflowBottleneck[] = [];
  for (const { workflow, step, entered, completed } of steps.values()) {
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
