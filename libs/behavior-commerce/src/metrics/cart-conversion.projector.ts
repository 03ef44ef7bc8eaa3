import { Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { orderLines, quantity } from '../signals/commerce-attributes.reader.js';
import { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './commerce-metric-keys.js';

/**
 * The two sides of cart-to-purchase conversion, in units: units put in the cart and units
 * bought. A ratio cannot be summed over days, so the strategy divides the window's sums.
 */
@RegisterMetricProjector()
@Injectable()
export class CartConversionProjector implements BehaviorMetricProjector {
  readonly name = 'commerce-conversion';

  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === COMMERCE_SCHEMAS.cartAdd || signal.schemaId === COMMERCE_SCHEMAS.purchase;
  }

  project(signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    if (signal.schemaId === COMMERCE_SCHEMAS.cartAdd) {
      acc.sum(COMMERCE_KEYS.cartedUnits, quantity(signal));
      return;
    }
    const units = orderLines(signal).reduce((n, line) => n + line.quantity, 0);
    if (units > 0) acc.sum(COMMERCE_KEYS.purchasedUnits, units);
  }
}
