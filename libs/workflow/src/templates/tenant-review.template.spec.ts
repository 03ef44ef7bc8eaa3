import { WorkflowComposer } from '../composer/workflow-composer.js';
import { edges, extension, reviewFlow, thrown } from '../testing/workflow.fixtures.js';
import { tenantReview } from './tenant-review.template.js';

const composer = new WorkflowComposer();

describe('tenantReview template', () => {
  it('produces a review step with defaults', () => {
    expect(tenantReview({ before: 'review' })).toEqual([
      {
        type: 'insertBefore',
        anchor: 'review',
        step: {
          id: 'tenant-review',
          type: 'review',
          label: 'Tenant review',
          config: { reviewerRole: 'tenant-admin', scope: 'tenant' },
        },
      },
    ]);
  });

  it('is wired in by the composer, with a way back when rejected', () => {
    const ops = tenantReview({
      after: 'submit',
      id: 'acme-review',
      reviewerRole: 'acme-lead',
      rejectTo: 'draft',
    });
    const { workflow: wf } = composer.compose(reviewFlow(), [extension('acme', ops)], { tenantId: 't1' });
    expect(edges(wf).submit).toEqual(['acme-review']);
    expect(edges(wf)['acme-review']).toEqual(['review', 'draft(rejected)']);
  });

  it('needs exactly one placement', () => {
    expect(thrown(() => tenantReview({} as never)).message).toContain(
      'exactly one of after, before, replace',
    );
    expect(thrown(() => tenantReview({ after: '' })).message).toContain('after must be a non-empty step id');
  });
});
