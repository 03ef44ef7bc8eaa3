import { copyConfig } from './config-copy.js';

describe('copyConfig', () => {
  it('copies nested plain data without sharing', () => {
    const input = { a: 1, b: ['x', { c: true }], d: null, e: { f: 'g' } };
    const copy = copyConfig(input);
    expect(copy).toEqual(input);
    expect(copy.b).not.toBe(input.b);
    expect(copy.b[1]).not.toBe(input.b[1]);
    expect(copy.e).not.toBe(input.e);
  });

  it('falls back to structuredClone for non-plain objects', () => {
    const when = new Date(0);
    const copy = copyConfig({ when, tags: new Set(['a']) });
    // structuredClone builds in Node's realm, not Jest's, so check the tag rather than instanceof.
    expect(Object.prototype.toString.call(copy.when)).toBe('[object Date]');
    expect(copy.when).not.toBe(when);
    expect(copy.when.getTime()).toBe(0);
    expect([...copy.tags]).toEqual(['a']);
  });
});
