import { extension, reviewFlow, step, task, workflow } from '../testing/workflow.fixtures.js';
import { checkCompatibility } from './compatibility-checker.js';

/** Version 2 renames "review" to "check". */
function v2() {
  return workflow(
    'draft',
    ['done', 'rejected'],
    [
      step('draft', 'submit'),
      step('submit', 'check'),
      step('check', { to: 'done', on: 'approve' }, { to: 'rejected', on: 'reject' }),
      step('done'),
      step('rejected'),
    ],
    { version: 2 },
  );
}

describe('checkCompatibility', () => {
  it('reports every breaking extension with every reason, and passes the rest', () => {
    const exts = [
      extension('after-review', [{ type: 'insertAfter', anchor: 'review', step: task('audit') }]),
      extension('before-done', [{ type: 'insertBefore', anchor: 'done', step: task('archive') }]),
      extension('two-missing', [
        { type: 'setLabel', anchor: 'review', label: 'R' },
        { type: 'setLabel', anchor: 'submit', label: 'S' },
        { type: 'addTransition', from: 'check', to: 'legal' },
      ]),
      extension('cuts-branch', [
        { type: 'insertAfter', anchor: 'check', step: { ...task('auto'), transitions: [{ to: 'done' }] } },
      ]),
    ];
    const report = checkCompatibility(v2(), exts);
    expect(report.compatible).toBe(false);
    expect(report.extensions.map((e) => [e.extensionId, e.compatible])).toEqual([
      ['after-review', false],
      ['before-done', true],
      ['two-missing', false],
      ['cuts-branch', false],
    ]);
    expect(report.breaking.map((e) => e.extensionId)).toEqual(['after-review', 'two-missing', 'cuts-branch']);

    const [afterReview, , twoMissing, cutsBranch] = report.extensions;
    expect(afterReview!.issues).toEqual([
      expect.objectContaining({
        code: 'missing_anchor',
        anchor: 'review',
        operationIndex: 0,
        contexts: [{ tenantId: 't1' }],
      }),
    ]);
    expect(twoMissing!.issues.map((i) => [i.code, i.anchor, i.operationIndex])).toEqual([
      ['missing_anchor', 'review', 0],
      ['missing_anchor', 'legal', 2],
    ]);
    expect(cutsBranch!.issues).toEqual([
      expect.objectContaining({
        code: 'invalid_result',
        // Judged after the compatible "before-done", whose "archive" step it also cuts off.
        errors: [
          expect.objectContaining({ code: 'unreachable_step', stepId: 'archive' }),
          expect.objectContaining({ code: 'unreachable_step', stepId: 'rejected' }),
        ],
      }),
    ]);
  });

  it('is compatible when every extension still applies', () => {
    const report = checkCompatibility(v2(), [
      extension('ok', [{ type: 'insertAfter', anchor: 'check', step: task('audit') }]),
    ]);
    expect(report).toMatchObject({
      compatible: true,
      breaking: [],
      baseErrors: [],
      workflowId: 'order',
      baseVersion: 2,
    });
  });

  it('checks a scoped extension on top of the less specific ones it builds on', () => {
    const exts = [
      extension('role-on-tenant-step', [{ type: 'insertAfter', anchor: 'legal', step: task('sign') }], {
        role: 'lawyer',
      }),
      extension('tenant-adds-legal', [{ type: 'insertAfter', anchor: 'submit', step: task('legal') }]),
    ];
    expect(checkCompatibility(v2(), exts).compatible).toBe(true);
  });

  it('finds an extension that breaks only next to another scope’s, naming the context', () => {
    const exts = [
      extension('managers-skip-submit', [{ type: 'removeStep', anchor: 'submit' }], { role: 'manager' }),
      extension('mobile-relabels-submit', [{ type: 'setLabel', anchor: 'submit', label: 'Send' }], {
        device: 'mobile',
      }),
    ];
    const report = checkCompatibility(v2(), exts);
    expect(report.breaking.map((e) => e.extensionId)).toEqual(['mobile-relabels-submit']);
    expect(report.breaking[0]!.issues).toEqual([
      expect.objectContaining({
        code: 'missing_anchor',
        anchor: 'submit',
        contexts: [{ tenantId: 't1', role: 'manager', device: 'mobile' }],
      }),
    ]);
  });

  it('keeps judging later extensions after an earlier one failed', () => {
    const exts = [
      extension('a-broken', [{ type: 'removeStep', anchor: 'review' }]),
      extension('b-fine', [{ type: 'removeStep', anchor: 'submit' }]),
      extension('c-needs-submit', [{ type: 'setLabel', anchor: 'submit', label: 'S' }]),
    ];
    const report = checkCompatibility(v2(), exts);
    expect(report.extensions.map((e) => [e.extensionId, e.issues.map((i) => i.anchor)])).toEqual([
      ['a-broken', ['review']],
      ['b-fine', []],
      ['c-needs-submit', ['submit']],
    ]);
  });

  it('reports a pinned base version and still checks the anchors', () => {
    const report = checkCompatibility(v2(), [
      extension('pinned-ok', [{ type: 'setLabel', anchor: 'check', label: 'C' }], {}, { baseVersion: 1 }),
      extension(
        'pinned-broken',
        [{ type: 'setLabel', anchor: 'review', label: 'R' }],
        {},
        { baseVersion: 1 },
      ),
      extension(
        'pinned-current',
        [{ type: 'setLabel', anchor: 'check', label: 'C' }],
        {},
        { baseVersion: 2 },
      ),
    ]);
    expect(report.extensions.map((e) => [e.extensionId, e.issues.map((i) => i.code)])).toEqual([
      ['pinned-ok', ['base_version_mismatch']],
      ['pinned-broken', ['base_version_mismatch', 'missing_anchor']],
      ['pinned-current', []],
    ]);
  });

  it('reports malformed extensions and duplicate ids without judging them further', () => {
    const report = checkCompatibility(v2(), [
      extension('bad', [{ type: 'setLabel', anchor: 'check', label: '' }]),
      extension('twice', [{ type: 'setLabel', anchor: 'check', label: 'A' }]),
      extension('twice', [{ type: 'setLabel', anchor: 'done', label: 'B' }]),
    ]);
    expect(report.extensions.map((e) => e.issues.map((i) => i.code))).toEqual([
      ['invalid_extension'],
      [],
      ['duplicate_extension'],
    ]);
  });

  it('ignores extensions of other workflows and reports an invalid base', () => {
    const other = {
      ...extension('invoice-ext', [{ type: 'removeStep' as const, anchor: 'x' }]),
      workflowId: 'invoice',
    };
    expect(checkCompatibility(v2(), [other])).toMatchObject({
      compatible: true,
      ignored: ['invoice-ext'],
      extensions: [],
    });

    const broken = { ...reviewFlow(2), start: 'nope' };
    const report = checkCompatibility(broken, [
      extension('e', [{ type: 'setLabel', anchor: 'review', label: 'R' }]),
    ]);
    expect(report.compatible).toBe(false);
    expect(report.baseErrors).toEqual([expect.objectContaining({ code: 'unknown_start', stepId: 'nope' })]);
  });
});
