import { priceCart, type Discount, type PricedLine } from '../../../../shared/cart.js';
import { formatCents, type Cents } from '../../../../shared/money.js';
import type { SaleLine } from '../../../../shared/sale.js';
import type { Operation } from '../../../../shared/operations.js';
import type { PaymentReference } from '../../../../shared/validation.js';

// Paying on the customer's own phone (myPOS Online Checkout): which of the edge's terminals pays
// that way, the body of POST /api/checkouts made from a stored sale, and the edge's answer read
// with care. Pure.

interface Channel {
  readonly operations: readonly Operation[];
}

/** The terminals Charge may use: those whose channel takes a purchase (not the online checkout, which the customer pays on their phone). */
export function cardTerminals<T extends Channel>(list: readonly T[]): T[] {
  // A list kept on the device by an older till may lack the operations: those were card terminals.
  return list.filter((item) => (item.operations ?? ['purchase']).includes('purchase'));
}

/** The channel that makes a payment link for the customer's phone ("Pay by QR / link"), when the shop has one. */
export function checkoutTerminal<T extends Channel>(list: readonly T[]): T | undefined {
  return list.find((item) => item.operations?.includes('checkout'));
}

/** A line of the cart as the customer's payment page lists it (the unit price as the API spells money). */
export interface CheckoutLine {
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: string;
}

export interface CheckoutBody {
  readonly ruid: string;
  readonly amount: string;
  readonly lines?: readonly CheckoutLine[];
  readonly reference?: PaymentReference;
}

/** What the edge answers for a checkout: the link the customer pays by, its QR code (SVG) and when it expires. */
export interface CheckoutLink {
  readonly url: string;
  readonly qrSvg: string;
  readonly expiresAt: string;
}

/**
 * The cart's lines for the payment page, adding up to what the customer pays: each line at its
 * price after its discounts and its share of the sale's discount. A line whose total does not
 * divide by its quantity is listed once, at its total ("3 × Espresso"); a line that costs nothing
 * (discounted to zero) is left out.
 */
export function checkoutLines(lines: readonly PricedLine[]): CheckoutLine[] {
  return lines
    .filter((line) => line.totalCents > 0)
    .map((line) =>
      line.totalCents % line.quantity === 0
        ? { name: line.name, quantity: line.quantity, unitPrice: formatCents(line.totalCents / line.quantity) }
        : { name: `${line.quantity} × ${line.name}`, quantity: 1, unitPrice: formatCents(line.totalCents) },
    );
}

/**
 * POST /api/checkouts for a sale: its RUID (made and stored before the request, so a lost answer
 * is asked again with the same one), the amount the customer pays, the cart's lines when they add
 * up to exactly that amount (a part paid in cash: none, the page shows the amount alone), and the
 * reference.
 */
export function checkoutBody(sale: { readonly id: string; readonly lines: readonly SaleLine[]; readonly discount: Discount | undefined; readonly cardCents: Cents; readonly reference: PaymentReference | undefined }): CheckoutBody {
  const priced = priceCart(sale.lines, sale.discount);
  return {
    ruid: sale.id,
    amount: formatCents(sale.cardCents),
    ...(priced.totalCents === sale.cardCents ? { lines: checkoutLines(priced.lines) } : {}),
    ...(sale.reference ? { reference: sale.reference } : {}),
  };
}

/** The checkout answer read with care: a link only when its three fields are there. */
export function readLink(value: unknown): CheckoutLink | undefined {
  const link = (value ?? {}) as Partial<Record<keyof CheckoutLink, unknown>>;
  return typeof link.url === 'string' && typeof link.qrSvg === 'string' && typeof link.expiresAt === 'string' ? { url: link.url, qrSvg: link.qrSvg, expiresAt: link.expiresAt } : undefined;
}
