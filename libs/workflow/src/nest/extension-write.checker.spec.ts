import { extension, reviewFlow, task } from '../testing/workflow.fixtures.js';
import { checkExtensionWrite } from './extension-write.checker.js';

const addsLegal = extension('adds-legal', [{ type: 'insertAfter', anchor: 'submit', step: task('legal') }]);
const relabelsLegal = extension('relabels-legal', [{ type: 'setLabel', anchor: 'legal', label: 'Legal' }], {
  role: 'manager',
});

describe('checkExtensionWrite', () => {
  it('accepts an extension whose anchors exist', () => {
    expect(checkExtensionWrite(reviewFlow(), [], undefined, addsLegal)).toEqual({ own: [], siblings: [] });
  });

  it("reports the written extension's own missing anchors", () => {
    const bad = extension('bad', [{ type: 'setLabel', anchor: 'nope', label: 'x' }]);
    const verdict = checkExtensionWrite(reviewFlow(), [], undefined, bad);
    expect(verdict.own).toEqual([
      expect.objectContaining({
        extensionId: 'bad',
        issue: expect.objectContaining({ code: 'missing_anchor', anchor: 'nope', operationIndex: 0 }),
      }),
    ]);
    expect(verdict.siblings).toEqual([]);
  });

  it('reports siblings that a replacement or a delete would break', () => {
    const stored = [addsLegal, relabelsLegal];
    const replacement = extension('adds-legal', [{ type: 'setLabel', anchor: 'submit', label: 'Send' }]);
    const replaced = checkExtensionWrite(reviewFlow(), stored, addsLegal, replacement);
    expect(replaced.own).toEqual([]);
    expect(replaced.siblings).toEqual([
      expect.objectContaining({
        extensionId: 'relabels-legal',
        issue: expect.objectContaining({ code: 'missing_anchor', anchor: 'legal' }),
      }),
    ]);
    const deleted = checkExtensionWrite(reviewFlow(), stored, addsLegal, undefined);
    expect(deleted.siblings.map((s) => s.extensionId)).toEqual(['relabels-legal']);
    // deleting the dependant itself breaks nothing
    expect(checkExtensionWrite(reviewFlow(), stored, relabelsLegal, undefined).siblings).toEqual([]);
  });

  it('does not blame a write for siblings that were already broken, nor count siblings pinned elsewhere', () => {
    const broken = extension('broken', [{ type: 'removeStep', anchor: 'gone' }]);
    const pinnedElsewhere = extension(
      'pinned',
      [{ type: 'setLabel', anchor: 'legal', label: 'L' }],
      {},
      { baseVersion: 7 },
    );
    const verdict = checkExtensionWrite(
      reviewFlow(),
      [broken, pinnedElsewhere, addsLegal],
      addsLegal,
      extension('adds-legal', [], { role: 'clerk' }),
    );
    expect(verdict).toEqual({ own: [], siblings: [] });
  });
});
