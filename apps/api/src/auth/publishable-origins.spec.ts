import { PublishableOrigins } from './publishable-origins.js';
import type { ApiKeyLookupRepository } from '../tenancy/api-key-lookup.repository.js';

function fakeKeys(load: () => Promise<Set<string>>) {
  const keys = { activePublishableOrigins: jest.fn(load) };
  return { keys, origins: new PublishableOrigins(keys as unknown as ApiKeyLookupRepository) };
}

describe('PublishableOrigins', () => {
  it('answers from one query until forget()', async () => {
    let set = new Set(['https://a.example']);
    const { keys, origins } = fakeKeys(async () => set);
    const answers = await Promise.all([
      origins.allows('https://a.example'),
      origins.allows('https://b.example'),
    ]);
    expect(answers).toEqual([true, false]);
    expect(keys.activePublishableOrigins).toHaveBeenCalledTimes(1);
    set = new Set(['https://b.example']);
    expect(await origins.allows('https://b.example')).toBe(false);
    origins.forget();
    expect(await origins.allows('https://b.example')).toBe(true);
    expect(keys.activePublishableOrigins).toHaveBeenCalledTimes(2);
  });

  it('keeps the last known set when the database cannot answer', async () => {
    let fail = false;
    const { origins } = fakeKeys(async () => {
      if (fail) throw new Error('connection refused');
      return new Set(['https://a.example']);
    });
    expect(await origins.allows('https://a.example')).toBe(true);
    fail = true;
    origins.forget();
    expect(await origins.allows('https://a.example')).toBe(true);
    expect(await origins.allows('https://b.example')).toBe(false);
  });

  it('grants nothing when the first load fails', async () => {
    const { origins } = fakeKeys(async () => {
      throw new Error('connection refused');
    });
    expect(await origins.allows('https://a.example')).toBe(false);
  });
});
