import { isPrivateAddress, webhookUrlProblem } from './webhook-address.policy.js';
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signature', () => {
  it('signs `${t}.${body}` with HMAC-SHA-256 and verifies within the tolerance only', () => {
    const secret = newWebhookSecret();
    const body = '{"type":"alert.opened"}';
    const header = signWebhook(secret, body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, body, header, 1_800_000_100)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, 1_800_000_400)).toBe(false);
    expect(verifyWebhookSignature(secret, `${body} `, header, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), body, header, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 't=x,v1=zz', 1_800_000_000)).toBe(false);
  });
});

describe('webhook address policy', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.5',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:7f00:1',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));
  it.each(['8.8.8.8', '93.184.215.14', '2001:4860:4860::8888'])('accepts %s', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );
  it('checks the URL form', () => {
    expect(webhookUrlProblem('https://example.com/x')).toBeNull();
    expect(webhookUrlProblem('file:///etc/passwd')?.code).toBe('unsupported_scheme');
    expect(webhookUrlProblem('https://user:pw@example.com/')?.code).toBe('invalid_url');
  });
});
