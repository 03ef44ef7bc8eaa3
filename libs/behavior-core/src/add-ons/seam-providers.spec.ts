import type { BehaviorAddOn } from '../contracts/behavior-add-on';
import { seamProviders } from './seam-providers';

const TOKENS = {
  signalStore: Symbol('store'),
  dataProvider: Symbol('provider'),
  jobRunner: Symbol('runner'),
};
const DEFAULTS = {
  signalStore: { useValue: 'default store' },
  dataProvider: { useValue: 'default provider' },
  jobRunner: { useValue: 'default runner' },
};
const addOn = (name: string, seams: BehaviorAddOn['seams']): BehaviorAddOn => ({
  name,
  module: class {},
  seams,
});
/** A labelled stand-in: only which provider wins matters here. */
const fake = (label: string) => label as never;
const values = (providers: unknown[]) => providers.map((p) => (p as { useValue: unknown }).useValue);

describe('seamProviders', () => {
  it("uses core's defaults when nothing replaces a seam", () => {
    expect(seamProviders(DEFAULTS, TOKENS)).toEqual([
      { provide: TOKENS.signalStore, useValue: 'default store' },
      { provide: TOKENS.dataProvider, useValue: 'default provider' },
      { provide: TOKENS.jobRunner, useValue: 'default runner' },
    ]);
  });

  it("takes an add-on's replacement, and the host's over it", () => {
    const other = addOn('other', { signalStore: { useValue: fake('other store') } });
    expect(values(seamProviders(DEFAULTS, TOKENS, {}, [other]))).toEqual([
      'other store',
      'default provider',
      'default runner',
    ]);
    expect(
      values(seamProviders(DEFAULTS, TOKENS, { signalStore: { useValue: fake('host store') } }, [other])),
    ).toEqual(['host store', 'default provider', 'default runner']);
  });

  it('refuses two add-ons replacing the same seam unless the host decides', () => {
    const a = addOn('a', { jobRunner: { useValue: fake('a runner') } });
    const b = addOn('b', { jobRunner: { useValue: fake('b runner') } });
    expect(() => seamProviders(DEFAULTS, TOKENS, {}, [a, b])).toThrow(
      'Add-ons "a" and "b" both replace the jobRunner; enable one or set it in the module options',
    );
    expect(
      values(seamProviders(DEFAULTS, TOKENS, { jobRunner: { useValue: fake('host runner') } }, [a, b])),
    ).toEqual(['default store', 'default provider', 'host runner']);
  });
});
