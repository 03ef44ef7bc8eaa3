import { metric, NOW } from '../../test/commerce-fixtures';
import { baseCurrencyTotals, churnRisk, windowFigures } from './commerce-window.figures';

describe('commerce window figures', () => {
  it('sums the window per key, currency and category, and ages commerce activity by UTC day', () => {
    const f = windowFigures(
      [
        metric('commerce.revenue:EUR', '2026-11-20', 10.5),
        metric('commerce.revenue:EUR', '2026-11-01', 4.5),
        metric('commerce.orders:EUR', '2026-11-01', 2),
        metric('commerce.checkouts', '2026-11-14', 1),
        metric('commerce.checkouts', '2026-11-13', 5),
        metric('commerce.category_views:home & garden', '2026-11-20', 2),
        metric('engagement.schema_signals:commerce.search', '2026-11-14', 3),
        metric('engagement.schema_signals:commerce.search', '2026-11-13', 4),
        metric('engagement.schema_signals:commerce.search', '2026-11-06', 5),
        metric('engagement.schema_signals:content.view', '2026-11-20', 9),
      ],
      NOW,
    );
    expect(f.revenueByCurrency).toEqual({ EUR: 15 });
    expect(f.ordersByCurrency).toEqual({ EUR: 2 });
    expect(f.checkoutsLastWeek).toBe(1);
    expect(f.categories).toEqual({ 'home & garden': { views: 2, cartAdds: 0, units: 0 } });
    expect(f.activity).toEqual({ lastWeek: 3, previousWeek: 4, earlier: 5, daysSinceLast: 6 });
  });

  it('converts to the base currency where a rate is known', () => {
    const f = windowFigures(
      [
        metric('commerce.revenue:EUR', '2026-11-20', 100),
        metric('commerce.orders:EUR', '2026-11-20', 1),
        metric('commerce.revenue:GBP', '2026-11-20', 100),
        metric('commerce.orders:GBP', '2026-11-20', 1),
        metric('commerce.revenue:JPY', '2026-11-20', 1000),
        metric('commerce.orders:JPY', '2026-11-20', 1),
      ],
      NOW,
    );
    expect(baseCurrencyTotals(f, { currency: 'EUR', exchangeRates: { GBP: 1.15 } })).toEqual({
      revenue: 215,
      orders: 2,
      unconverted: ['JPY'],
    });
  });

  it('churn risk: the drop of the last week against the one before', () => {
    const risk = (lastWeek: number, previousWeek: number, earlier = 0) =>
      churnRisk({ lastWeek, previousWeek, earlier, daysSinceLast: null });
    expect(risk(1, 4)).toBe(0.75);
    expect(risk(4, 4)).toBe(0);
    expect(risk(0, 4)).toBe(1);
    expect(risk(0, 0, 1)).toBe(1);
    expect(risk(0, 0)).toBe(0);
  });
});
