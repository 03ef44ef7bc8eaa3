import type { WorkflowExtension } from '../contracts/workflow-extension.types.js';
import { validateWorkflow } from '../spec/workflow.validator.js';
import {
  deepFreeze,
  edges,
  extension,
  reviewFlow,
  step,
  task,
  thrown,
  workflow,
} from '../testing/workflow.fixtures.js';
import { WorkflowCompositionError } from './workflow-composition.error.js';
import { WorkflowComposer } from './workflow-composer.js';

const composer = new WorkflowComposer();
const after = (
  id: string,
  anchor: string,
  stepId: string,
  scope: Partial<WorkflowExtension['scope']> = {},
  extra: Partial<WorkflowExtension> = {},
) => extension(id, [{ type: 'insertAfter', anchor, step: task(stepId) }], scope, extra);
const before = (
  id: string,
  anchor: string,
  stepId: string,
  scope: Partial<WorkflowExtension['scope']> = {},
) => extension(id, [{ type: 'insertBefore', anchor, step: task(stepId) }], scope);

/** Follows unlabelled single transitions from `from`; the chain an insert sequence produced. */
function chain(wf: ReturnType<typeof reviewFlow>, from: string, until: string): string[] {
  const out = [from];
  let at = from;
  while (at !== until) {
    at = wf.steps.find((s) => s.id === at)!.transitions[0]!.to;
    out.push(at);
  }
  return out;
}

describe('WorkflowComposer', () => {
  describe('matching', () => {
    const exts = [
      after('tenant', 'submit', 'a'),
      after('other-tenant', 'submit', 'b', { tenantId: 't2' }),
      after('manager', 'submit', 'c', { role: 'manager' }),
      after('mobile', 'submit', 'd', { device: 'mobile' }),
      after('manager-mobile', 'submit', 'e', { role: 'manager', device: 'mobile' }),
      { ...after('other-workflow', 'submit', 'f'), workflowId: 'invoice' },
    ];

    it.each([
      [{ tenantId: 't1' }, ['tenant']],
      [{ tenantId: 't1', role: 'manager' }, ['tenant', 'manager']],
      [{ tenantId: 't1', device: 'mobile' }, ['tenant', 'mobile']],
      [{ tenantId: 't1', role: 'clerk', device: 'mobile' }, ['tenant', 'mobile']],
      [
        { tenantId: 't1', role: 'manager', device: 'mobile' },
        ['tenant', 'manager', 'mobile', 'manager-mobile'],
      ],
      [{ tenantId: 't2', role: 'manager' }, ['other-tenant']],
      [{ tenantId: 't3' }, []],
    ])('in context %j applies %j', (context, ids) => {
      expect(composer.compose(reviewFlow(), exts, context).applied.map((a) => a.extensionId)).toEqual(ids);
    });
  });

  describe('ordering', () => {
    it('chains inserts after one anchor from all scopes: the most specific lands next to the anchor', () => {
      const exts = [
        after('rd', 'submit', 'by-role-device', { role: 'manager', device: 'mobile' }),
        after('d', 'submit', 'by-device', { device: 'mobile' }),
        after('t', 'submit', 'by-tenant'),
        after('r', 'submit', 'by-role', { role: 'manager' }),
      ];
      const result = composer.compose(reviewFlow(), exts, {
        tenantId: 't1',
        role: 'manager',
        device: 'mobile',
      });
      expect(result.applied.map((a) => [a.extensionId, a.specificity])).toEqual([
        ['t', 0],
        ['r', 1],
        ['d', 2],
        ['rd', 3],
      ]);
      expect(chain(result.workflow, 'submit', 'review')).toEqual([
        'submit',
        'by-role-device',
        'by-device',
        'by-role',
        'by-tenant',
        'review',
      ]);
      expect(validateWorkflow(result.workflow).valid).toBe(true);
    });

    it('chains inserts before one anchor in the same order: the most specific lands next to the anchor', () => {
      const exts = [
        before('r', 'review', 'by-role', { role: 'manager' }),
        before('t', 'review', 'by-tenant'),
      ];
      const { workflow: wf } = composer.compose(reviewFlow(), exts, { tenantId: 't1', role: 'manager' });
      expect(chain(wf, 'submit', 'review')).toEqual(['submit', 'by-tenant', 'by-role', 'review']);
    });

    it('within one specificity applies lower priority first, then extension id', () => {
      const exts = [
        after('a-high', 'submit', 'high', {}, { priority: 10 }),
        after('c', 'submit', 'c0'),
        after('z-low', 'submit', 'low', {}, { priority: -1 }),
        after('b', 'submit', 'b0'),
      ];
      const result = composer.compose(reviewFlow(), exts, { tenantId: 't1' });
      expect(result.applied.map((a) => a.extensionId)).toEqual(['z-low', 'b', 'c', 'a-high']);
      expect(chain(result.workflow, 'submit', 'review')).toEqual([
        'submit',
        'high',
        'c0',
        'b0',
        'low',
        'review',
      ]);
    });

    it('ranks specificity above priority', () => {
      const exts = [
        after('tenant-late', 'submit', 'x', {}, { priority: 1000 }),
        after('role', 'submit', 'y', { role: 'r' }),
      ];
      const result = composer.compose(reviewFlow(), exts, { tenantId: 't1', role: 'r' });
      expect(result.applied.map((a) => a.extensionId)).toEqual(['tenant-late', 'role']);
    });

    it('lets a more specific extension anchor on a step a less specific one added', () => {
      const exts = [
        after('role', 'legal', 'legal-sign', { role: 'lawyer' }),
        after('tenant', 'submit', 'legal'),
      ];
      const { workflow: wf } = composer.compose(reviewFlow(), exts, { tenantId: 't1', role: 'lawyer' });
      expect(chain(wf, 'submit', 'review')).toEqual(['submit', 'legal', 'legal-sign', 'review']);
    });
  });

  describe('baseVersion', () => {
    const pinned = after('pinned', 'submit', 'x', {}, { baseVersion: 1 });

    it('applies an extension pinned to the base version', () => {
      expect(composer.compose(reviewFlow(1), [pinned], { tenantId: 't1' }).applied).toHaveLength(1);
    });

    it('fails by default when the pinned version differs', () => {
      expect(thrown(() => composer.compose(reviewFlow(2), [pinned], { tenantId: 't1' }))).toMatchObject({
        code: 'base_version_mismatch',
        extensionId: 'pinned',
      });
    });

    it('skips and reports the extension with versionMismatch: skip', () => {
      const result = new WorkflowComposer({ versionMismatch: 'skip' }).compose(
        reviewFlow(2),
        [pinned, after('free', 'submit', 'y')],
        { tenantId: 't1' },
      );
      expect(result.applied.map((a) => a.extensionId)).toEqual(['free']);
      expect(result.skipped).toEqual([
        expect.objectContaining({ extensionId: 'pinned', reason: 'base_version_mismatch' }),
      ]);
      expect(result.workflow.steps.map((s) => s.id)).not.toContain('x');
    });
  });

  describe('failures', () => {
    it('names the extension whose result is invalid, with the validation errors', () => {
      const cut = extension('cut-branch', [
        { type: 'insertAfter', anchor: 'review', step: { ...task('auto'), transitions: [{ to: 'done' }] } },
      ]);
      const error = thrown(() =>
        composer.compose(reviewFlow(), [after('fine', 'submit', 'ok'), cut], { tenantId: 't1' }),
      );
      expect(error).toBeInstanceOf(WorkflowCompositionError);
      expect(error).toMatchObject({ code: 'invalid_result', extensionId: 'cut-branch' });
      expect(error.errors).toEqual([
        expect.objectContaining({ code: 'unreachable_step', stepId: 'rejected' }),
      ]);
      expect(error.message).toContain('"cut-branch"');
    });

    it('validates per extension, so an extension may pass through an invalid state', () => {
      const ext = extension('two-step', [
        { type: 'insertAfter', anchor: 'review', step: { ...task('auto'), transitions: [{ to: 'done' }] } },
        { type: 'addTransition', from: 'auto', to: 'rejected', on: 'no' },
      ]);
      expect(edges(composer.compose(reviewFlow(), [ext], { tenantId: 't1' }).workflow).auto).toEqual([
        'done',
        'rejected(no)',
      ]);
    });

    it('stops at the first missing anchor with its operation index', () => {
      const ext = extension('ext', [
        { type: 'setLabel', anchor: 'review', label: 'Check' },
        { type: 'insertAfter', anchor: 'approve', step: task('x') },
      ]);
      expect(thrown(() => composer.compose(reviewFlow(), [ext], { tenantId: 't1' }))).toMatchObject({
        code: 'missing_anchor',
        extensionId: 'ext',
        anchor: 'approve',
        operationIndex: 1,
      });
    });

    it('rejects an invalid base', () => {
      const base = workflow('a', ['b'], [step('a', 'b'), step('b'), step('c', 'b')]);
      const error = thrown(() => composer.compose(base, [], { tenantId: 't1' }));
      expect(error).toMatchObject({ code: 'invalid_base' });
      expect(error.errors).toEqual([expect.objectContaining({ code: 'unreachable_step', stepId: 'c' })]);
    });

    it('rejects a context without tenant', () => {
      expect(thrown(() => composer.compose(reviewFlow(), [], { tenantId: '' }))).toMatchObject({
        code: 'invalid_context',
      });
    });

    it('rejects a malformed extension of the caller, but ignores another tenant’s', () => {
      const broken = { ...extension('broken', [{ type: 'explode' } as never]) };
      expect(thrown(() => composer.compose(reviewFlow(), [broken], { tenantId: 't1' }))).toMatchObject({
        code: 'invalid_extension',
        extensionId: 'broken',
      });
      const otherTenant = { ...broken, scope: { tenantId: 't2' } };
      expect(composer.compose(reviewFlow(), [otherTenant], { tenantId: 't1' }).applied).toEqual([]);
    });

    it('rejects two matching extensions with one id', () => {
      const exts = [after('same', 'submit', 'x'), after('same', 'review', 'y', { role: 'r' })];
      expect(thrown(() => composer.compose(reviewFlow(), exts, { tenantId: 't1', role: 'r' }))).toMatchObject(
        {
          code: 'duplicate_extension',
          extensionId: 'same',
        },
      );
    });
  });

  describe('provenance', () => {
    it('says which extension added or changed each step, and how', () => {
      const exts = [
        after('tenant', 'submit', 'check'),
        extension(
          'role',
          [
            { type: 'setLabel', anchor: 'check', label: 'Manager check' },
            { type: 'removeStep', anchor: 'draft' },
          ],
          { role: 'manager' },
        ),
      ];
      const {
        provenance,
        removed,
        workflow: wf,
      } = composer.compose(reviewFlow(), exts, { tenantId: 't1', role: 'manager' });
      expect(Object.keys(provenance)).toEqual(wf.steps.map((s) => s.id));
      expect(provenance.check).toEqual({
        stepId: 'check',
        addedBy: 'tenant',
        changes: [
          {
            extensionId: 'tenant',
            operation: 'insertAfter',
            operationIndex: 0,
            kind: 'inserted',
            detail: 'inserted after "submit"',
          },
          {
            extensionId: 'role',
            operation: 'setLabel',
            operationIndex: 0,
            kind: 'relabelled',
            detail: '"check" → "Manager check"',
          },
        ],
      });
      expect(provenance.submit).toEqual({
        stepId: 'submit',
        addedBy: null,
        changes: [
          expect.objectContaining({ extensionId: 'tenant', kind: 'rewired' }),
          expect.objectContaining({ extensionId: 'role', kind: 'became-start', operationIndex: 1 }),
        ],
      });
      expect(provenance.review).toEqual({ stepId: 'review', addedBy: null, changes: [] });
      expect(removed).toEqual([{ stepId: 'draft', extensionId: 'role', operation: 'removeStep' }]);
    });
    it('keeps a step whose id is a prototype key as an own provenance entry', () => {
      const { provenance, workflow: wf } = composer.compose(
        reviewFlow(),
        [after('tenant', 'submit', '__proto__')],
        { tenantId: 't1' },
      );
      expect(wf.steps.map((s) => s.id)).toContain('__proto__');
      expect(Object.keys(provenance)).toEqual(wf.steps.map((s) => s.id));
      expect(Object.hasOwn(provenance, '__proto__')).toBe(true);
      expect(JSON.parse(JSON.stringify(provenance)).__proto__).toMatchObject({ addedBy: 'tenant' });
    });
  });

  describe('inputs', () => {
    it('returns the base unchanged when no extension matches', () => {
      const base = reviewFlow();
      const result = composer.compose(base, [], { tenantId: 't1' });
      expect(result.workflow).toEqual(base);
      expect(result.workflow).not.toBe(base);
      expect(result.applied).toEqual([]);
    });

    it('never writes to the base or the extensions', () => {
      const base = deepFreeze({
        ...reviewFlow(),
        steps: reviewFlow().steps.map((s) =>
          s.id === 'review' ? { ...s, config: { approver: { role: 'lead' } } } : s,
        ),
      });
      const exts = deepFreeze([
        after('a', 'submit', 'x'),
        before('b', 'draft', 'intake'),
        extension('c', [
          { type: 'removeStep', anchor: 'submit' },
          { type: 'replaceStep', anchor: 'done', step: task('closed') },
        ]),
        extension('d', [
          { type: 'addTransition', from: 'rejected', to: 'draft' },
          { type: 'setLabel', anchor: 'review', label: 'R' },
        ]),
      ]);
      const baseCopy = structuredClone(base);
      const extsCopy = structuredClone(exts);
      const result = composer.compose(base, exts, { tenantId: 't1' });
      expect(base).toEqual(baseCopy);
      expect(exts).toEqual(extsCopy);

      // Nor can a caller change the inputs through the result.
      const review = result.workflow.steps.find((s) => s.id === 'review')!;
      expect(review.config).toEqual({ approver: { role: 'lead' } });
      expect(review.config).not.toBe(base.steps[2]!.config);
    });

    it('is deterministic whatever the input order', () => {
      const exts = [
        after('a', 'submit', 'x'),
        after('b', 'submit', 'y', { role: 'r' }),
        after('c', 'submit', 'z'),
      ];
      const ctx = { tenantId: 't1', role: 'r' };
      const one = composer.compose(reviewFlow(), exts, ctx).workflow;
      const two = composer.compose(reviewFlow(), [...exts].reverse(), ctx).workflow;
      expect(two).toEqual(one);
    });
  });
});
