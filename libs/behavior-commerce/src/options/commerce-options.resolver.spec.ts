import { DEFAULT_COMMERCE_OPTIONS } from './commerce-options.defaults';
import { CommerceOptionsError, resolveCommerceOptions } from './commerce-options.resolver';

function problems(input: unknown): readonly string[] {
  try {
    resolveCommerceOptions(input as never);
  } catch (error) {
    if (error instanceof CommerceOptionsError) return error.problems;
    throw error;
  }
  throw new Error('expected a CommerceOptionsError');
}

describe('resolveCommerceOptions', () => {
  it('gives the typed defaults for no input', () => {
    expect(resolveCommerceOptions()).toEqual(DEFAULT_COMMERCE_OPTIONS);
  });

  it('merges a partial input key by key', () => {
    const options = resolveCommerceOptions({
      currency: 'USD',
      thresholds: { cartAbandoner: { minCartAdds: 5 } },
      anomaly: { largeAmount: { byCurrency: { JPY: 500000 } } },
    });
    expect(options.currency).toBe('USD');
    expect(options.thresholds.cartAbandoner).toEqual({ minCartAdds: 5, maxConversion: 0.25 });
    expect(options.thresholds.frequentBuyer).toEqual(DEFAULT_COMMERCE_OPTIONS.thresholds.frequentBuyer);
    expect(options.anomaly.largeAmount).toEqual({
      threshold: 5000,
      byCurrency: { JPY: 500000 },
      severity: 'medium',
    });
  });

  it('names the path of an unknown key and of a bad value', () => {
    expect(problems({ thresholds: { cartAbandoner: { minCartAdd: 3 } } })).toEqual([
      'thresholds.cartAbandoner.minCartAdd: unknown key',
    ]);
    expect(
      problems({ currency: 'euro', anomaly: { burst: { windowMinutes: 0, severity: 'huge' } } }),
    ).toEqual(
      expect.arrayContaining([
        'currency: must match pattern "^[A-Z]{3}$"',
        'anomaly.burst.windowMinutes: must be >= 1',
        'anomaly.burst.severity: must be equal to one of the allowed values',
      ]),
    );
  });

  it('checks what the schema cannot: bound order, time zone, weights, the base rate', () => {
    expect(
      problems({
        currency: 'EUR',
        exchangeRates: { EUR: 2 },
        priceRanges: { budget: 100, midRange: 50 },
        thresholds: { eveningShopper: { timeZone: 'Mars/Olympus', startHour: 20, endHour: 20 } },
        weights: { conversion: { history: 0, openCart: 0, checkout: 0, recency: 0 } },
      }),
    ).toEqual([
      'priceRanges.midRange: must be greater than priceRanges.budget',
      'thresholds.eveningShopper.endHour: must differ from startHour',
      'thresholds.eveningShopper.timeZone: "Mars/Olympus" is not an IANA time zone',
      'weights.conversion: at least one weight must be above 0',
      "exchangeRates.EUR: the base currency's rate is 1",
    ]);
  });
});
