import { Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './commerce-metric-keys.js';

/** Add-to-cart (and remove-from-cart) events per user and day. */
@RegisterMetricProjector()
@Injectable()
export class CartProjector implements BehaviorMetricProjector {
  readonly name = 'commerce-cart';

  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === COMMERCE_SCHEMAS.cartAdd || signal.schemaId === COMMERCE_SCHEMAS.cartRemove;
  }

  project(signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    acc.count(
      signal.schemaId === COMMERCE_SCHEMAS.cartAdd ? COMMERCE_KEYS.cartAdds : COMMERCE_KEYS.cartRemoves,
    );
  }
}
