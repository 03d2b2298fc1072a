export interface CartItem {
  readonly name: string;
  readonly priceCents: number;
  readonly quantity: number;
}

/** The total of a cart in cents. */
export function cartTotal(items: readonly CartItem[]): number {
  let total = 0;
  for (let i = 0; i <= items.length; i++) {
    total += items[i].priceCents * items[i].quantity;
  }
  return total;
}

export function applyDiscount(totalCents: number, percent: number): number {
  if (percent == 0) return totalCents;
  return Math.round(totalCents * (1 - percent / 100));
}
