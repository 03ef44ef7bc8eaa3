import { describeAudience, formatWindow, plural } from './insight-evidence.formatter.js';

describe('insight evidence formatting', () => {
  it('names the window in the largest unit that divides it', () => {
    expect(formatWindow(7 * 86_400_000)).toBe('7 days');
    expect(formatWindow(86_400_000)).toBe('1 day');
    expect(formatWindow(36 * 3_600_000)).toBe('36 hours');
    expect(formatWindow(90 * 60_000)).toBe('90 minutes');
    expect(formatWindow(1500)).toBe('1500 ms');
  });

  it('names the audience: user (and role), else role, else tenant', () => {
    expect(describeAudience({ tenantId: 'acme', userId: 'u1', role: 'clerk' })).toBe(
      'user "u1" (role "clerk")',
    );
    expect(describeAudience({ tenantId: 'acme', role: 'clerk' })).toBe('role "clerk"');
    expect(describeAudience({ tenantId: 'acme' })).toBe('tenant "acme"');
  });

  it('pluralises', () => {
    expect([plural(1, 'access'), plural(0, 'access'), plural(2, 'field')]).toEqual([
      '1 access',
      '0 accesses',
      '2 fields',
    ]);
  });
});
