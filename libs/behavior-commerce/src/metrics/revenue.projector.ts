import { Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { amount, text } from '../signals/commerce-attributes.reader.js';
import { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './commerce-metric-keys.js';

/** Order totals summed per currency (no conversion here: rates change, stored sums must not). */
@RegisterMetricProjector()
@Injectable()
export class RevenueProjector implements BehaviorMetricProjector {
  readonly name = 'commerce-revenue';

  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === COMMERCE_SCHEMAS.purchase;
  }

  project(signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    const total = amount(signal, 'amount');
    const currency = text(signal, 'currency');
    if (total === null || currency === null) return;
    acc.sum(`${COMMERCE_KEYS.revenuePrefix}${currency}`, total, { currency });
  }
}
