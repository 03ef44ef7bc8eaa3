import { Injectable } from '@nestjs/common';
import {
  RegisterMetricProjector,
  type BehaviorMetricProjector,
  type BehaviorSignal,
  type MetricAccumulator,
} from '@lssm/behavior-core';
import { orderLines, quantity, text } from '../signals/commerce-attributes.reader.js';
import { COMMERCE_KEYS, COMMERCE_SCHEMAS } from './commerce-metric-keys.js';

/**
 * Viewed categories (views, distinct categories per day) and the category interest behind
 * `preferred_categories`: views, cart adds and units bought per category.
 */
@RegisterMetricProjector()
@Injectable()
export class CategoryProjector implements BehaviorMetricProjector {
  readonly name = 'commerce-categories';

  supports(signal: BehaviorSignal): boolean {
    return (
      signal.schemaId === COMMERCE_SCHEMAS.productView ||
      signal.schemaId === COMMERCE_SCHEMAS.cartAdd ||
      signal.schemaId === COMMERCE_SCHEMAS.purchase
    );
  }

  project(signal: BehaviorSignal, _definition: unknown, acc: MetricAccumulator): void {
    if (signal.schemaId === COMMERCE_SCHEMAS.purchase) {
      for (const line of orderLines(signal)) {
        if (line.category === null) continue;
        acc.sum(`${COMMERCE_KEYS.categoryPurchasesPrefix}${line.category}`, line.quantity, {
          category: line.category,
        });
      }
      return;
    }
    const category = text(signal, 'category');
    if (signal.schemaId === COMMERCE_SCHEMAS.productView) {
      acc.count(COMMERCE_KEYS.productViews);
      if (category === null) return;
      acc.distinct(COMMERCE_KEYS.viewedCategories, category);
      acc.count(`${COMMERCE_KEYS.categoryViewsPrefix}${category}`, 1, { category });
      return;
    }
    if (category !== null) {
      acc.sum(`${COMMERCE_KEYS.categoryCartAddsPrefix}${category}`, quantity(signal), { category });
    }
  }
}
