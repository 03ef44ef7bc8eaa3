import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { isUniqueViolation, jsonValue } from './sql-values.js';

describe('isUniqueViolation', () => {
  it("recognises pg's 23505, the ORM's wrapper and a wrapped cause", () => {
    const pgError = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(isUniqueViolation(pgError)).toBe(true);
    expect(isUniqueViolation(new UniqueConstraintViolationException(pgError))).toBe(true);
    expect(isUniqueViolation({ cause: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation(Object.assign(new Error('other'), { code: '23503' }))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});

describe('jsonValue', () => {
  it('returns an unfrozen copy without undefined members', () => {
    const frozen = Object.freeze({ a: 1, b: undefined, c: Object.freeze({ d: [1, undefined] }) });
    const copy = jsonValue(frozen);
    expect(copy).toEqual({ a: 1, c: { d: [1, null] } });
    expect('b' in copy).toBe(false);
    expect(Object.isFrozen(copy.c)).toBe(false);
  });
});
