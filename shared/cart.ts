import type { Cents } from './money.js';

// The cart's arithmetic, in integer cents. Rounding rule (README "Cart arithmetic"):
// - Prices are gross (VAT included), as shelf prices are in the EU.
// - A percent discount on a line is rounded half up to the cent: round(gross x percent).
// - A cart discount is shared out over the lines in proportion to their totals, by the largest
//   remainder, so the shares add up to the discount exactly and no line goes below zero.
// - VAT is computed once per rate on the sum of that rate's line totals:
//   vat = round_half_up(gross x rate / (1 + rate)), net = gross - vat. So the VAT lines of a receipt
//   and of a day's Z report always add up to the totals they are printed next to.

/** VAT rate in basis points: 2000 = 20 %, 900 = 9 %, 0 = exempt. */
export type RateBp = number;

export type Discount = { readonly kind: 'amount'; readonly cents: Cents } | { readonly kind: 'percent'; readonly bp: number };

export interface CartLine {
  readonly name: string;
  readonly unitPriceCents: Cents;
  readonly quantity: number;
  readonly vatRateBp: RateBp;
  readonly discount?: Discount | undefined;
  readonly note?: string | undefined;
}

export interface PricedLine extends CartLine {
  /** unit x quantity */
  readonly grossCents: Cents;
  readonly lineDiscountCents: Cents;
  /** This line's share of the cart discount. */
  readonly cartDiscountCents: Cents;
  /** What the customer pays for the line. */
  readonly totalCents: Cents;
}

export interface VatRow {
  readonly rateBp: RateBp;
  readonly grossCents: Cents;
  readonly vatCents: Cents;
  readonly netCents: Cents;
}

export interface PricedCart {
  readonly lines: readonly PricedLine[];
  readonly subtotalCents: Cents;
  readonly discountCents: Cents;
  readonly totalCents: Cents;
  readonly vat: readonly VatRow[];
}

/** round(numerator / denominator), halves away from zero, for non-negative integers. */
export function divideRoundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

export function discountCents(grossCents: Cents, discount: Discount | undefined): Cents {
  if (!discount) return 0;
  const raw = discount.kind === 'amount' ? discount.cents : divideRoundHalfUp(grossCents * discount.bp, 10_000);
  return Math.min(Math.max(raw, 0), grossCents);
}

/** Shares `total` over `weights` in proportion, by the largest remainder; the shares add up to total. */
export function allocate(total: Cents, weights: readonly Cents[]): Cents[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

export function vatOf(grossCents: Cents, rateBp: RateBp): Cents {
  return divideRoundHalfUp(grossCents * rateBp, 10_000 + rateBp);
}

export function vatRows(lines: ReadonlyArray<{ readonly totalCents: Cents; readonly vatRateBp: RateBp }>): VatRow[] {
  const byRate = new Map<RateBp, Cents>();
  for (const line of lines) byRate.set(line.vatRateBp, (byRate.get(line.vatRateBp) ?? 0) + line.totalCents);
  return [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, grossCents]) => {
      const vatCents = vatOf(grossCents, rateBp);
      return { rateBp, grossCents, vatCents, netCents: grossCents - vatCents };
    });
}

export function priceCart(lines: readonly CartLine[], cartDiscount?: Discount): PricedCart {
  const afterLine = lines.map((line) => {
    const grossCents = line.unitPriceCents * line.quantity;
    const lineDiscountCents = discountCents(grossCents, line.discount);
    return { ...line, grossCents, lineDiscountCents, net: grossCents - lineDiscountCents };
  });
  const afterLineDiscounts = afterLine.reduce((sum, line) => sum + line.net, 0);
  const cartDiscountCents = discountCents(afterLineDiscounts, cartDiscount);
  const shares = allocate(cartDiscountCents, afterLine.map((line) => line.net));
  const priced: PricedLine[] = afterLine.map(({ net, ...line }, index) => {
    const share = shares[index] ?? 0;
    return { ...line, cartDiscountCents: share, totalCents: net - share };
  });
  const totalCents = priced.reduce((sum, line) => sum + line.totalCents, 0);
  return {
    lines: priced,
    subtotalCents: afterLine.reduce((sum, line) => sum + line.grossCents, 0),
    discountCents: priced.reduce((sum, line) => sum + line.lineDiscountCents + line.cartDiscountCents, 0),
    totalCents,
    vat: vatRows(priced),
  };
}
