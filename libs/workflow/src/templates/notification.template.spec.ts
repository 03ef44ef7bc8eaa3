import { WorkflowComposer } from '../composer/workflow-composer.js';
import { edges, extension, reviewFlow, thrown } from '../testing/workflow.fixtures.js';
import { notification } from './notification.template.js';

describe('notification template', () => {
  it('produces a notification step carrying channel, template and recipients', () => {
    const recipients = ['requester'];
    const [op] = notification({
      after: 'done',
      id: 'notify-done',
      channel: 'email',
      template: 'order-approved',
      recipients,
    });
    expect(op).toEqual({
      type: 'insertAfter',
      anchor: 'done',
      step: {
        id: 'notify-done',
        type: 'notification',
        label: 'Notify (email)',
        config: { channel: 'email', template: 'order-approved', recipients: ['requester'] },
      },
    });
    recipients.push('later');
    expect((op as unknown as { step: { config: { recipients: string[] } } }).step.config.recipients).toEqual([
      'requester',
    ]);
  });

  it('after a terminal step becomes the terminal', () => {
    const ops = notification({ after: 'done', id: 'notify-done', channel: 'push', template: 'approved' });
    const { workflow: wf } = new WorkflowComposer().compose(reviewFlow(), [extension('n', ops)], {
      tenantId: 't1',
    });
    expect(edges(wf).done).toEqual(['notify-done']);
    expect(wf.terminal).toEqual(['notify-done', 'rejected']);
  });

  it('replaces a step', () => {
    const [op] = notification({ replace: 'submit', id: 'sms', channel: 'sms', template: 't' });
    expect(op).toMatchObject({ type: 'replaceStep', anchor: 'submit' });
  });

  it('requires a template', () => {
    expect(
      thrown(() => notification({ after: 'done', id: 'n', channel: 'email', template: '' })).message,
    ).toContain('template must be a non-empty string');
  });
});
