import type { BehaviorSignal } from '@lssm/behavior-core';

/** A purchased line as the projectors and strategies use it. */
export interface OrderLine {
  readonly sku: string;
  readonly productId: string | null;
  readonly category: string | null;
  readonly price: number;
  readonly quantity: number;
}

// Stored signals passed schema validation when they were ingested; these readers still refuse
// anything odd, because a replay may meet signals of an older schema version.

export function text(signal: BehaviorSignal, name: string): string | null {
  const value = signal.attributes[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function amount(signal: BehaviorSignal, name: string): number | null {
  const value = signal.attributes[name];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** `quantity`, 1 when absent. */
export function quantity(signal: BehaviorSignal): number {
  const value = signal.attributes.quantity;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}

export function orderLines(signal: BehaviorSignal): OrderLine[] {
  const items = signal.attributes.items;
  if (!Array.isArray(items)) return [];
  const lines: OrderLine[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { sku, productId, category, price, quantity: qty } = item as Record<string, unknown>;
    if (typeof sku !== 'string' || typeof price !== 'number' || !Number.isFinite(price) || price < 0)
      continue;
    lines.push({
      sku,
      productId: typeof productId === 'string' ? productId : null,
      category: typeof category === 'string' && category.length > 0 ? category : null,
      price,
      quantity: typeof qty === 'number' && Number.isInteger(qty) && qty > 0 ? qty : 1,
    });
  }
  return lines;
}
