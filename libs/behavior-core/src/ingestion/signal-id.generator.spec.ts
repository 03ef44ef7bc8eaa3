import { validate, version } from 'uuid';
import { nextSignalId } from './signal-id.generator.js';

describe('nextSignalId', () => {
  it('returns valid UUIDv7s', () => {
    const id = nextSignalId();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    expect(id[19]).toMatch(/[89ab]/); // RFC 9562 variant
  });

  it('is unique and strictly increasing across many ids in the same millisecond and pool refills', () => {
    const ids = Array.from({ length: 20_000 }, () => nextSignalId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('carries the current time in its first 48 bits', () => {
    const before = Date.now();
    const msecs = Number.parseInt(nextSignalId().replaceAll('-', '').slice(0, 12), 16);
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(Date.now() + 1);
  });
});
