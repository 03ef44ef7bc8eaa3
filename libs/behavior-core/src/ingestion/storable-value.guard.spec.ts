import { checkStorable, storableText } from './storable-value.guard';

describe('checkStorable', () => {
  it('passes a clean item and counts its nodes', () => {
    const result = checkStorable({
      schemaId: 'a.b',
      attributes: { list: [1, 'x', true, null], nested: { k: 'v' } },
    });
    expect(result).toEqual({ issues: [], issueCount: 0, nodes: 10, tooDeep: false });
  });

  it.each([
    [{ a: 'x\u0000' }, 'a', 'nul_character'],
    [{ ['k\u0000']: 1 }, 'k\uFFFD', 'nul_character'],
    [{ a: ['ok', '\ud800'] }, 'a[1]', 'invalid_unicode'],
    [{ a: 'x\udc00' }, 'a', 'invalid_unicode'],
    [{ a: Number.POSITIVE_INFINITY }, 'a', 'non_finite_number'],
    [{ a: Number.NaN }, 'a', 'non_finite_number'],
    [{ a: new Array(10_001).fill(0) }, 'a', 'max_items'],
    [{ a: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])) }, 'a', 'max_properties'],
  ])('reports %j at %s as %s', (item, path, code) => {
    const result = checkStorable(item);
    expect(result.issues).toEqual([expect.objectContaining({ path, code })]);
  });

  it('accepts a well-formed surrogate pair', () => {
    expect(checkStorable({ emoji: '😀' }).issueCount).toBe(0);
  });

  it('walks 100,000 levels of nesting without recursion and flags the depth', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    const result = checkStorable({ attributes: value });
    expect(result.tooDeep).toBe(true);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'max_depth' })]);
  });

  it('lists the first 20 problems and counts all of them', () => {
    const result = checkStorable({ list: new Array(500).fill('\u0000') });
    expect(result.issues).toHaveLength(20);
    expect(result.issueCount).toBe(500);
    expect(result.issues[0].path).toBe('list[0]');
  });

  it('storableText replaces what text columns refuse', () => {
    expect(storableText('a\u0000b\ud800c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });
});
