import { Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { amount, text } from '../signals/commerce-attributes.reader.js';
import { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './commerce-metric-keys.js';

/**
 * Average order value per currency and day, plus the order count per currency: daily averages
 * cannot be averaged over a window, but revenue ÷ orders of the window can.
 */
@RegisterMetricProjector()
@Injectable()
export class OrderValueProjector implements BehaviorMetricProjector {
  readonly name = 'commerce-order-value';

  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === COMMERCE_SCHEMAS.purchase;
  }

  project(signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    const total = amount(signal, 'amount');
    const currency = text(signal, 'currency');
    if (total === null || currency === null) return;
    acc.avg(`${COMMERCE_KEYS.orderValuePrefix}${currency}`, total, { currency });
    acc.count(`${COMMERCE_KEYS.ordersPrefix}${currency}`, 1, { currency });
  }
}
