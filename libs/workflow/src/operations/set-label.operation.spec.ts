import { WorkflowComposer } from '../composer/workflow-composer.js';
import { extension, reviewFlow, thrown } from '../testing/workflow.fixtures.js';

const compose = new WorkflowComposer();
const ctx = { tenantId: 't1' };

describe('setLabel', () => {
  it.each(['draft', 'review', 'done'])(
    'relabels the %s step (start, middle, terminal) without touching edges',
    (anchor) => {
      const base = reviewFlow();
      const { workflow: wf, provenance } = compose.compose(
        base,
        [extension('ext', [{ type: 'setLabel', anchor, label: 'Renamed' }])],
        ctx,
      );
      const s = wf.steps.find((x) => x.id === anchor)!;
      expect(s.label).toBe('Renamed');
      expect(s.transitions).toEqual(base.steps.find((x) => x.id === anchor)!.transitions);
      expect(provenance[anchor]!.changes).toEqual([
        expect.objectContaining({ kind: 'relabelled', detail: `"${anchor}" → "Renamed"` }),
      ]);
    },
  );

  it('fails with missing_anchor', () => {
    expect(
      thrown(() =>
        compose.compose(
          reviewFlow(),
          [extension('ext', [{ type: 'setLabel', anchor: 'x', label: 'X' }])],
          ctx,
        ),
      ),
    ).toMatchObject({ code: 'missing_anchor', anchor: 'x', extensionId: 'ext' });
  });
});
