import { DEFAULT_ANALYZER_THRESHOLDS } from './behavior-analyzer.js';
import type { FieldAccessEvent, WorkflowStepEvent } from '../events/behavior-event.js';
import { analyzeFieldUsage, summarizeFieldUsage, tallyFieldAccesses } from './field-usage.analysis.js';
import { summarizeLayoutPreference, tallyLayoutUsage } from './layout-preference.analysis.js';
import {
  analyzeWorkflowBottlenecks,
  summarizeWorkflowBottlenecks,
  tallyWorkflowSteps,
} from './workflow-bottleneck.analysis.js';

// The server counts in SQL and hands the same tallies to the summarize functions; these pin down what
// a tally means so both sides keep computing the same numbers.
const T = { ...DEFAULT_ANALYZER_THRESHOLDS };
const base = { tenantId: 'acme', id: 'x' };

const access = (field: string, action: FieldAccessEvent['action'] = 'viewed'): FieldAccessEvent => ({
  ...base,
  kind: 'field_access',
  timestamp: 0,
  operation: 'form',
  field,
  action,
});

const step = (
  name: string,
  status: WorkflowStepEvent['status'],
  timestamp: number,
  instanceId?: string,
): WorkflowStepEvent => ({
  ...base,
  kind: 'workflow_step',
  timestamp,
  workflow: 'wf',
  step: name,
  status,
  ...(instanceId !== undefined && { instanceId }),
});

describe('analysis tallies', () => {
  it('field tallies: one per (operation, field), accesses of any action, edited if any edit', () => {
    const events = [access('a'), access('a', 'edited'), access('a', 'focused'), access('b')];
    expect(tallyFieldAccesses(events)).toEqual([
      { operation: 'form', field: 'a', accesses: 3, edited: true },
      { operation: 'form', field: 'b', accesses: 1, edited: false },
    ]);
  });

  it('field tallies of one field add up, so partial counts summarize like the events', () => {
    const events = [...Array(6)].map(() => access('a')).concat(access('b', 'edited'), access('c'));
    const split = [
      { operation: 'form', field: 'a', accesses: 4, edited: false },
      { operation: 'form', field: 'a', accesses: 2, edited: false },
      { operation: 'form', field: 'b', accesses: 1, edited: true },
      { operation: 'form', field: 'c', accesses: 1, edited: false },
    ];
    const known = { form: ['a', 'b', 'c', 'd'] };
    expect(summarizeFieldUsage(split, known, T)).toEqual(analyzeFieldUsage(events, known, T));
    expect(summarizeFieldUsage(split, known, T).frequentlyUsedFields).toEqual([
      { operation: 'form', field: 'a', accesses: 6 },
    ]);
  });

  it('step tallies: loose events counted as they come, instances once per step with "moved on"', () => {
    const events = [
      step('review', 'entered', 1),
      step('review', 'completed', 2),
      step('review', 'completed', 3),
      step('draft', 'entered', 1, 'i1'),
      step('review', 'entered', 2, 'i1'),
      step('review', 'entered', 5, 'i2'),
      step('review', 'abandoned', 6, 'i2'),
      step('approve', 'completed', 7, 'i3'),
    ];
    const tallies = tallyWorkflowSteps(events);
    expect(tallies).toEqual(
      expect.arrayContaining([
        {
          workflow: 'wf',
          step: 'review',
          enteredEvents: 1,
          completedEvents: 2,
          enteredInstances: 2,
          completedInstances: 0,
        },
        {
          workflow: 'wf',
          step: 'draft',
          enteredEvents: 0,
          completedEvents: 0,
          enteredInstances: 1,
          completedInstances: 1,
        },
      ]),
    );
    // i3 completed a step it never entered: no tally for it.
    expect(tallies.find((t) => t.step === 'approve')).toBeUndefined();
    const loose = { minStepEntries: 1, bottleneckDropRateThreshold: 0 };
    // review: 1 + 2 entries, min(2, 1) + 0 completions.
    expect(summarizeWorkflowBottlenecks(tallies, loose)).toEqual(analyzeWorkflowBottlenecks(events, loose));
    expect(summarizeWorkflowBottlenecks(tallies, loose)[0]).toMatchObject({
      step: 'review',
      entered: 3,
      completed: 1,
    });
  });

  it('loose completions are capped at entries after the tallies of a step are added up', () => {
    const row = (enteredEvents: number, completedEvents: number) => ({
      workflow: 'wf',
      step: 's',
      enteredEvents,
      completedEvents,
      enteredInstances: 0,
      completedInstances: 0,
    });
    const all = { minStepEntries: 1, bottleneckDropRateThreshold: 0 };
    expect(summarizeWorkflowBottlenecks([row(4, 0), row(0, 3)], all)).toEqual([
      { workflow: 'wf', step: 's', entered: 4, completed: 3, dropRate: 0.25 },
    ]);
    expect(summarizeWorkflowBottlenecks([row(2, 5)], all)[0]).toMatchObject({ completed: 2, dropRate: 0 });
  });

  it('layout tallies count only table, cards and list; the rule reads the counts', () => {
    const feature = (layout?: string) => ({
      ...base,
      kind: 'feature_usage' as const,
      timestamp: 0,
      feature: 'orders',
      action: 'opened',
      ...(layout !== undefined && { metadata: { layout } }),
    });
    const usage = tallyLayoutUsage(['cards', 'cards', 'cards', 'grid', undefined, 'list'].map(feature));
    expect(usage).toEqual({ table: 0, cards: 3, list: 1 });
    expect(summarizeLayoutPreference(usage, T)).toEqual({ layoutPreference: 'cards', layoutUsage: usage });
    expect(summarizeLayoutPreference({ table: 3, cards: 3, list: 0 }, T).layoutPreference).toBeNull();
  });
});
