import { BehaviorAnalyzer, DEFAULT_ANALYZER_THRESHOLDS } from './behavior-analyzer.js';
import type { BehaviorEvent } from '../events/behavior-event.js';
import { InMemoryBehaviorStore } from '../stores/in-memory-behavior.store.js';
import { summarizeInsights } from './insights.analysis.js';

const NOW = Date.parse('2026-03-08T12:00:00Z');
const WEEK = 7 * 24 * 60 * 60 * 1000;
const T = { ...DEFAULT_ANALYZER_THRESHOLDS };
const window = { tenantId: 'acme', since: NOW - WEEK, until: NOW, windowMs: WEEK };
const none = { fields: [], steps: [], layouts: { table: 0, cards: 0, list: 0 } };

describe('summarizeInsights', () => {
  it('names only the scope it was given and the window as ISO dates', () => {
    const insights = summarizeInsights(window, none, T);
    expect(insights.scope).toStrictEqual({ tenantId: 'acme' });
    expect(insights.window).toEqual({
      since: '2026-03-01T12:00:00.000Z',
      until: '2026-03-08T12:00:00.000Z',
      windowMs: WEEK,
    });
    expect(summarizeInsights({ ...window, userId: 'u', role: 'r' }, none, T).scope).toStrictEqual({
      tenantId: 'acme',
      userId: 'u',
      role: 'r',
    });
  });

  it('gives the analyzer result for tallies of the events the analyzer read', async () => {
    const ctx = { tenantId: 'acme', userId: 'u' };
    const events: BehaviorEvent[] = [];
    let n = 0;
    const at = (ms: number) => ({ ...ctx, id: `e${n++}`, timestamp: NOW - ms });
    for (let i = 0; i < 6; i++) {
      events.push({ ...at(1000), kind: 'field_access', operation: 'form', field: 'a', action: 'viewed' });
      events.push({ ...at(1000), kind: 'workflow_step', workflow: 'wf', step: 's', status: 'entered' });
      events.push({
        ...at(1000),
        kind: 'feature_usage',
        feature: 'orders',
        action: 'opened',
        metadata: { layout: 'cards' },
      });
    }
    events.push({ ...at(1000), kind: 'workflow_step', workflow: 'wf', step: 's', status: 'completed' });
    const store = new InMemoryBehaviorStore();
    await store.append(events);
    const fields = { form: ['a', 'b'] };

    const analyzed = await new BehaviorAnalyzer(store).analyze({ ...ctx, windowMs: WEEK, now: NOW, fields });
    const tallies = {
      fields: [{ operation: 'form', field: 'a', accesses: 6, edited: false }],
      steps: [
        {
          workflow: 'wf',
          step: 's',
          enteredEvents: 6,
          completedEvents: 1,
          enteredInstances: 0,
          completedInstances: 0,
        },
      ],
      layouts: { table: 0, cards: 6, list: 0 },
    };
    expect(summarizeInsights({ ...window, userId: 'u', fields }, tallies, T)).toEqual(analyzed);
    expect(analyzed).toMatchObject({
      unusedFields: [{ operation: 'form', field: 'b' }],
      workflowBottlenecks: [{ workflow: 'wf', step: 's', entered: 6, completed: 1 }],
      layoutPreference: 'cards',
    });
  });
});
