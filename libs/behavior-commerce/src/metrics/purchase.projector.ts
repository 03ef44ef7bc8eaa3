import { Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './commerce-metric-keys.js';

/** Orders per user and day. */
@RegisterMetricProjector()
@Injectable()
export class PurchaseProjector implements BehaviorMetricProjector {
  readonly name = 'commerce-purchases';

  supports(signal: BehaviorSignal): boolean {
    return signal.schemaId === COMMERCE_SCHEMAS.purchase;
  }

  project(_signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    acc.count(COMMERCE_KEYS.purchases);
  }
}
