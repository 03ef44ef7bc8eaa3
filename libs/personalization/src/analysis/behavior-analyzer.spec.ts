import type {
  BehaviorContext,
  BehaviorEvent,
  FieldAccessAction,
  WorkflowStepStatus,
} from '../events/behavior-event.js';
import { BehaviorAnalyzer } from './behavior-analyzer.js';
import { InMemoryBehaviorStore } from '../stores/in-memory-behavior.store.js';

const NOW = Date.parse('2026-03-08T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;
const OP = 'billing.createOrder';

/** Hand-built events; `at` is milliseconds before NOW. */
class Events {
  readonly list: BehaviorEvent[] = [];
  private n = 0;
  constructor(private readonly ctx: BehaviorContext = { tenantId: 'acme', userId: 'manager-42' }) {}

  field(
    field: string,
    times = 1,
    action: FieldAccessAction = 'viewed',
    at = DAY,
    operation = OP,
    ctx: Partial<BehaviorContext> = {},
  ) {
    for (let i = 0; i < times; i++) {
      this.list.push({ ...this.base(at, ctx), kind: 'field_access', operation, field, action });
    }
    return this;
  }

  step(
    workflow: string,
    step: string,
    status: WorkflowStepStatus,
    times = 1,
    opts: { instanceId?: string; at?: number } = {},
  ) {
    for (let i = 0; i < times; i++) {
      this.list.push({
        ...this.base(opts.at ?? DAY),
        kind: 'workflow_step',
        workflow,
        step,
        status,
        ...(opts.instanceId === undefined ? {} : { instanceId: opts.instanceId }),
      });
    }
    return this;
  }

  layout(layout: string, times = 1) {
    for (let i = 0; i < times; i++) {
      this.list.push({
        ...this.base(DAY),
        kind: 'feature_usage',
        feature: 'orders',
        action: 'viewed',
        metadata: { layout },
      });
    }
    return this;
  }

  private base(at: number, ctx: Partial<BehaviorContext> = {}) {
    this.n += 1;
    return { id: `e-${this.n}`, timestamp: NOW - at, ...this.ctx, ...ctx };
  }

  async store(): Promise<InMemoryBehaviorStore> {
    const store = new InMemoryBehaviorStore();
    await store.append(this.list);
    return store;
  }
}

const input = { tenantId: 'acme', userId: 'manager-42', windowMs: WEEK, now: NOW };

describe('BehaviorAnalyzer', () => {
  describe('field usage', () => {
    it('separates unused (0 accesses) from suggested hidden (< threshold, never edited)', async () => {
      const store = await new Events()
        .field('customerReference', 6)
        .field('items', 2)
        .field('discountCode', 1) // under the threshold: suggested hidden, not unused
        .field('poNumber', 1, 'edited') // under the threshold but edited: kept visible
        .field('legacyCode', 1, 'focused') // observed only (not in the base spec)
        .store();
      const insights = await new BehaviorAnalyzer(store, { fieldInactivityThreshold: 2 }).analyze({
        ...input,
        fields: { [OP]: ['customerReference', 'items', 'discountCode', 'poNumber', 'internalNotes'] },
      });

      expect(insights.unusedFields).toEqual([{ operation: OP, field: 'internalNotes' }]);
      expect(insights.suggestedHiddenFields).toEqual([
        { operation: OP, field: 'discountCode', accesses: 1 },
        { operation: OP, field: 'internalNotes', accesses: 0 },
        { operation: OP, field: 'legacyCode', accesses: 1 },
      ]);
    });

    it('reports base-spec fields of operations nobody used at all', async () => {
      const store = await new Events().store();
      const insights = await new BehaviorAnalyzer(store).analyze({
        ...input,
        fields: { 'crm.editContact': ['b', 'a'] },
      });
      expect(insights.unusedFields).toEqual([
        { operation: 'crm.editContact', field: 'a' },
        { operation: 'crm.editContact', field: 'b' },
      ]);
    });

    it('lists frequently used fields at or above the threshold, by count then name, capped per operation', async () => {
      const store = await new Events()
        .field('items', 9)
        .field('customerReference', 6)
        .field('amount', 6)
        .field('notes', 4) // below the default 5
        .field('name', 7, 'viewed', DAY, 'crm.editContact')
        .store();
      const all = await new BehaviorAnalyzer(store).analyze(input);
      expect(all.frequentlyUsedFields).toEqual([
        { operation: OP, field: 'items', accesses: 9 },
        { operation: 'crm.editContact', field: 'name', accesses: 7 },
        { operation: OP, field: 'amount', accesses: 6 },
        { operation: OP, field: 'customerReference', accesses: 6 },
      ]);

      const capped = await new BehaviorAnalyzer(store, {
        frequentFieldThreshold: 4,
        maxFrequentFieldsPerOperation: 2,
      }).analyze(input);
      expect(capped.frequentlyUsedFields.filter((f) => f.operation === OP).map((f) => f.field)).toEqual([
        'items',
        'amount',
      ]);
    });

    it('only counts events inside the window and the requested scope', async () => {
      const store = await new Events()
        .field('old', 9, 'viewed', 8 * DAY) // before the window
        .field('future', 9, 'viewed', -1) // after `now`
        .field('shared', 3, 'viewed', DAY, OP, { userId: 'someone-else', role: 'clerk' })
        .field('shared', 3, 'viewed', DAY, OP, { role: 'manager' })
        .field('foreign', 9, 'viewed', DAY, OP, { tenantId: 'globex' })
        .field('edge', 5, 'viewed', WEEK) // exactly at `since`: inside (bounds are inclusive)
        .store();
      const analyzer = new BehaviorAnalyzer(store);
      const mine = await analyzer.analyze(input);
      expect(mine.frequentlyUsedFields.map((f) => f.field)).toEqual(['edge']);
      expect(mine.suggestedHiddenFields).toEqual([]);

      const tenant = await analyzer.analyze({ tenantId: 'acme', windowMs: WEEK, now: NOW });
      expect(tenant.frequentlyUsedFields).toEqual([
        { operation: OP, field: 'shared', accesses: 6 },
        { operation: OP, field: 'edge', accesses: 5 },
      ]);
      expect(tenant.scope).toEqual({ tenantId: 'acme' });

      const clerks = await analyzer.analyze({
        tenantId: 'acme',
        role: 'clerk',
        windowMs: WEEK,
        now: new Date(NOW),
      });
      expect(clerks.suggestedHiddenFields).toEqual([]);
      expect(clerks.frequentlyUsedFields).toEqual([]);
      expect(clerks.scope).toEqual({ tenantId: 'acme', role: 'clerk' });
      expect(clerks.window).toEqual({
        since: new Date(NOW - WEEK).toISOString(),
        until: new Date(NOW).toISOString(),
        windowMs: WEEK,
      });
    });
  });

  describe('workflow bottlenecks', () => {
    it('computes drop rate = 1 − completed / entered from plain step events', async () => {
      const store = await new Events()
        .step('invoice-approval', 'finance-review', 'entered', 10)
        .step('invoice-approval', 'finance-review', 'completed', 4)
        .step('invoice-approval', 'finance-review', 'abandoned', 3)
        .step('invoice-approval', 'review', 'entered', 10)
        .step('invoice-approval', 'review', 'completed', 6) // 0.4: below the 0.5 threshold
        .step('invoice-approval', 'archive', 'entered', 4) // 1.0 but fewer than 5 entries
        .step('onboarding', 'kyc', 'entered', 5)
        .step('onboarding', 'kyc', 'completed', 1)
        .step('onboarding', 'welcome', 'entered', 5)
        .step('onboarding', 'welcome', 'completed', 9) // completions capped at entries
        .store();
      const { workflowBottlenecks } = await new BehaviorAnalyzer(store).analyze(input);
      expect(workflowBottlenecks).toEqual([
        { workflow: 'onboarding', step: 'kyc', dropRate: 0.8, entered: 5, completed: 1 },
        {
          workflow: 'invoice-approval',
          step: 'finance-review',
          dropRate: expect.closeTo(0.6, 10),
          entered: 10,
          completed: 4,
        },
      ]);
    });

    it('with instanceId, entering the next step counts as completing the previous one, once per instance', async () => {
      const e = new Events();
      const wf = 'invoice-approval';
      // i1: review → finance-review (completes review by moving on)
      e.step(wf, 'review', 'entered', 1, { instanceId: 'i1', at: 5 * DAY }).step(
        wf,
        'finance-review',
        'entered',
        1,
        { instanceId: 'i1', at: 4 * DAY },
      );
      // i2: review completed explicitly and moved on: still one completion
      e.step(wf, 'review', 'entered', 1, { instanceId: 'i2', at: 5 * DAY })
        .step(wf, 'review', 'completed', 1, { instanceId: 'i2', at: 4 * DAY })
        .step(wf, 'finance-review', 'entered', 1, { instanceId: 'i2', at: 3 * DAY });
      // i3: review entered twice (a reload), then dropped
      e.step(wf, 'review', 'entered', 2, { instanceId: 'i3', at: 5 * DAY }).step(
        wf,
        'review',
        'abandoned',
        1,
        { instanceId: 'i3', at: 4 * DAY },
      );
      // i4, i5: review entered and never left
      e.step(wf, 'review', 'entered', 1, { instanceId: 'i4', at: 2 * DAY }).step(wf, 'review', 'entered', 1, {
        instanceId: 'i5',
        at: 2 * DAY,
      });
      // i6: completion of a step entered before the window does not count
      e.step(wf, 'finance-review', 'completed', 1, { instanceId: 'i6', at: DAY });
      const store = await e.store();

      const { workflowBottlenecks } = await new BehaviorAnalyzer(store, { minStepEntries: 2 }).analyze(input);
      expect(workflowBottlenecks).toEqual([
        { workflow: wf, step: 'finance-review', dropRate: 1, entered: 2, completed: 0 },
        { workflow: wf, step: 'review', dropRate: 0.6, entered: 5, completed: 2 },
      ]);
    });

    it('without instanceId the same journey only counts explicit completions', async () => {
      const wf = 'invoice-approval';
      const store = await new Events()
        .step(wf, 'review', 'entered', 5, { at: 5 * DAY })
        .step(wf, 'review', 'completed', 1, { at: 4 * DAY })
        .step(wf, 'finance-review', 'entered', 2, { at: 3 * DAY })
        .store();
      const { workflowBottlenecks } = await new BehaviorAnalyzer(store, { minStepEntries: 2 }).analyze(input);
      expect(workflowBottlenecks).toEqual([
        { workflow: wf, step: 'finance-review', dropRate: 1, entered: 2, completed: 0 },
        { workflow: wf, step: 'review', dropRate: 0.8, entered: 5, completed: 1 },
      ]);
    });
  });

  describe('layout preference', () => {
    const prefer = async (build: (e: Events) => Events) =>
      (await new BehaviorAnalyzer(await build(new Events()).store()).analyze(input)).layoutPreference;

    it('picks the most used layout with enough uses and a clear lead', async () => {
      expect(await prefer((e) => e.layout('table', 4).layout('cards', 2).layout('grid', 9))).toBe('table');
      expect(await prefer((e) => e.layout('list', 3))).toBe('list');
    });

    it('is null with too little data, a tie or no clear lead', async () => {
      expect(await prefer((e) => e)).toBeNull();
      expect(await prefer((e) => e.layout('table', 2))).toBeNull(); // below minLayoutEvents (3)
      expect(await prefer((e) => e.layout('table', 3).layout('cards', 3))).toBeNull(); // tie
      expect(await prefer((e) => e.layout('table', 4).layout('cards', 3))).toBeNull(); // 4 < 1.5 × 3
    });

    it('exposes the counts behind the decision', async () => {
      const store = await new Events().layout('cards', 2).layout('list', 1).store();
      expect((await new BehaviorAnalyzer(store).analyze(input)).layoutUsage).toEqual({
        table: 0,
        cards: 2,
        list: 1,
      });
    });
  });

  it('returns plain JSON', async () => {
    const store = await new Events()
      .field('a', 6)
      .field('b', 1)
      .step('w', 's', 'entered', 5)
      .layout('table', 3)
      .store();
    const insights = await new BehaviorAnalyzer(store).analyze({ ...input, fields: { [OP]: ['c'] } });
    expect(JSON.parse(JSON.stringify(insights))).toEqual(insights);
    expect(Object.keys(insights).sort()).toEqual(
      [
        'frequentlyUsedFields',
        'layoutPreference',
        'layoutUsage',
        'scope',
        'suggestedHiddenFields',
        'unusedFields',
        'window',
        'workflowBottlenecks',
      ].sort(),
    );
  });

  it('validates its options and input', async () => {
    const store = new InMemoryBehaviorStore();
    expect(
      () => new BehaviorAnalyzer(store, { fieldInactivityThreshold: 6, frequentFieldThreshold: 3 }),
    ).toThrow(RangeError);
    expect(() => new BehaviorAnalyzer(store, { bottleneckDropRateThreshold: 2 })).toThrow(RangeError);
    await expect(new BehaviorAnalyzer(store).analyze({ tenantId: 'acme', windowMs: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
