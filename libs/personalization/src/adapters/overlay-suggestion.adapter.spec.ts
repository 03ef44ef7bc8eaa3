import { validateOverlay, type OverlaySpec } from '@lssm/overlay';
import type { BehaviorInsights, FieldUsage } from '../analysis/behavior-insights.js';
import { OVERLAY_SUGGESTION_SOURCE, insightsToOverlaySuggestion } from './overlay-suggestion.adapter.js';

const OP = 'billing.createOrder';
const OPTIONS = { overlayId: 'acme-order-form', tenantId: 'acme', capability: OP };

const usage = (field: string, accesses: number, operation = OP): FieldUsage => ({
  operation,
  field,
  accesses,
});

function insights(overrides: Partial<BehaviorInsights> = {}): BehaviorInsights {
  return {
    scope: { tenantId: 'acme', userId: 'manager-42' },
    window: {
      since: '2026-03-01T12:00:00.000Z',
      until: '2026-03-08T12:00:00.000Z',
      windowMs: 7 * 86_400_000,
    },
    unusedFields: [{ operation: OP, field: 'legacyCode' }],
    suggestedHiddenFields: [usage('legacyCode', 0), usage('internalNotes', 1)],
    frequentlyUsedFields: [usage('items', 9), usage('customer', 12), usage('discount', 9)],
    workflowBottlenecks: [],
    layoutPreference: null,
    layoutUsage: { table: 0, cards: 0, list: 0 },
    ...overrides,
  };
}

function suggest(
  i: BehaviorInsights,
  options: Partial<typeof OPTIONS> & Record<string, unknown> = {},
): OverlaySpec {
  const overlay = insightsToOverlaySuggestion(i, { ...OPTIONS, ...options });
  if (!overlay) throw new Error('expected a suggestion');
  expect(validateOverlay(overlay)).toEqual({ valid: true, errors: [] });
  return overlay;
}

describe('insightsToOverlaySuggestion', () => {
  it('hides the suggested-hidden fields and puts the frequent ones first, most accessed first', () => {
    const overlay = suggest(insights());
    expect(overlay).toMatchObject({
      overlayId: 'acme-order-form',
      version: 1,
      tenantId: 'acme',
      capability: OP,
    });
    expect(overlay.operations).toEqual([
      { type: 'hideField', field: 'internalNotes' },
      { type: 'hideField', field: 'legacyCode' },
      // Ties (items, discount: 9) by name, so the same insights always give the same draft.
      { type: 'reorderFields', fields: ['customer', 'discount', 'items'] },
    ]);
  });

  describe('scope', () => {
    it('is the user when the insights were per user', () => {
      expect(suggest(insights()).scope).toEqual({ userId: 'manager-42' });
    });

    it('is the role when the insights were per role', () => {
      expect(suggest(insights({ scope: { tenantId: 'acme', role: 'clerk' } })).scope).toEqual({
        role: 'clerk',
      });
    });

    it('keeps both when a user was analysed within a role', () => {
      const overlay = suggest(insights({ scope: { tenantId: 'acme', userId: 'u1', role: 'clerk' } }));
      expect(overlay.scope).toEqual({ userId: 'u1', role: 'clerk' });
    });

    it('is tenant-wide when the insights were tenant-wide', () => {
      expect(suggest(insights({ scope: { tenantId: 'acme' } })).scope).toEqual({});
    });

    it('can be given explicitly', () => {
      const overlay = suggest(insights(), { scope: { role: 'manager', device: 'ios' } });
      expect(overlay.scope).toEqual({ role: 'manager', device: 'ios' });
    });
  });

  it('only uses fields of the capability', () => {
    const overlay = suggest(
      insights({
        suggestedHiddenFields: [usage('internalNotes', 1), usage('notes', 0, 'billing.refund')],
        frequentlyUsedFields: [usage('amount', 40, 'billing.refund')],
      }),
    );
    expect(overlay.operations).toEqual([{ type: 'hideField', field: 'internalNotes' }]);
  });

  it('reorders only when nothing is to be hidden', () => {
    const overlay = suggest(insights({ suggestedHiddenFields: [], unusedFields: [] }));
    expect(overlay.operations).toEqual([
      { type: 'reorderFields', fields: ['customer', 'discount', 'items'] },
    ]);
  });

  it('never reorders a field it hides, nor lists a field twice', () => {
    const overlay = suggest(
      insights({
        suggestedHiddenFields: [usage('internalNotes', 1), usage('internalNotes', 1)],
        frequentlyUsedFields: [usage('items', 9), usage('internalNotes', 9), usage('items', 9)],
      }),
    );
    expect(overlay.operations).toEqual([
      { type: 'hideField', field: 'internalNotes' },
      { type: 'reorderFields', fields: ['items'] },
    ]);
  });

  it('returns null when there is nothing to suggest', () => {
    const empty = insights({ unusedFields: [], suggestedHiddenFields: [], frequentlyUsedFields: [] });
    expect(insightsToOverlaySuggestion(empty, OPTIONS)).toBeNull();
    expect(insightsToOverlaySuggestion(insights(), { ...OPTIONS, capability: 'billing.refund' })).toBeNull();
  });

  it('explains the evidence in metadata', () => {
    const overlay = suggest(insights());
    expect(overlay.metadata).toEqual({
      source: OVERLAY_SUGGESTION_SOURCE,
      summary:
        'Observed for user "manager-42" over 7 days to 2026-03-08T12:00:00.000Z: ' +
        'hide 2 rarely used fields never edited: internalNotes (1 access), legacyCode (0 accesses); ' +
        'put the most used first: customer (12), discount (9), items (9).',
      basedOn: { tenantId: 'acme', userId: 'manager-42' },
      window: { since: '2026-03-01T12:00:00.000Z', until: '2026-03-08T12:00:00.000Z', windowMs: 604_800_000 },
      hiddenFields: [
        { field: 'internalNotes', accesses: 1 },
        { field: 'legacyCode', accesses: 0 },
      ],
      frequentFields: [
        { field: 'customer', accesses: 12 },
        { field: 'discount', accesses: 9 },
        { field: 'items', accesses: 9 },
      ],
    });
    // Plain JSON: it is signed and stored as is.
    expect(JSON.parse(JSON.stringify(overlay))).toEqual(overlay);
  });

  it('takes a version', () => {
    expect(suggest(insights(), { version: 3 }).version).toBe(3);
    expect(() => insightsToOverlaySuggestion(insights(), { ...OPTIONS, version: 0 })).toThrow(RangeError);
  });

  it("refuses another tenant's insights", () => {
    expect(() => insightsToOverlaySuggestion(insights(), { ...OPTIONS, tenantId: 'globex' })).toThrow(
      /tenant "acme", not "globex"/,
    );
  });

  it('stays within the overlay schema limits', () => {
    const many = Array.from({ length: 1200 }, (_, i) => usage(`f${String(i).padStart(4, '0')}`, 0));
    const overlay = suggest(
      insights({
        suggestedHiddenFields: [...many, usage('x'.repeat(257), 0)],
        frequentlyUsedFields: [usage('items', 9)],
      }),
    );
    expect(overlay.operations).toHaveLength(1000);
    expect(overlay.operations.at(-1)).toEqual({ type: 'reorderFields', fields: ['items'] });
    expect(overlay.operations.some((op) => 'field' in op && op.field.length > 256)).toBe(false);
  });
});
