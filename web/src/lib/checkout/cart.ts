import type { Product } from '../../../../shared/api.js';
import type { Discount } from '../../../../shared/cart.js';
import { DEFAULT_AMOUNT_CAP_CENTS } from '../../../../shared/money.js';
import { MAX_QUANTITY, MAX_SALE_LINES, type SaleLine } from '../../../../shared/sale.js';

// The cart being rung up, and what can be done to it. Pure: each action takes a cart and gives the
// next one, so it is tested without a browser; state/cart.svelte.ts keeps the current one.

export interface CartDraft {
  readonly lines: readonly SaleLine[];
  readonly discount: Discount | undefined;
  readonly note: string;
}

export const EMPTY_CART: CartDraft = { lines: [], discount: undefined, note: '' };

/** A product tapped or scanned again adds to its line (unless that line has its own discount, note or price). */
export function addProduct(cart: CartDraft, product: Product): CartDraft {
  const index = cart.lines.findIndex((item) => item.productId === product.id && !item.discount && !item.note && item.unitPriceCents === product.priceCents);
  const line = cart.lines[index];
  if (line) return withLine(cart, index, { ...line, quantity: Math.min(line.quantity + 1, MAX_QUANTITY) });
  if (cart.lines.length >= MAX_SALE_LINES) return cart;
  return { ...cart, lines: [...cart.lines, { name: product.name, unitPriceCents: product.priceCents, quantity: 1, vatRateBp: product.vatRateBp, productId: product.id }] };
}

/** A typed amount (no product) as a line of its own. */
export function addAmount(cart: CartDraft, cents: number, name: string, vatRateBp: number): CartDraft {
  if (cents <= 0 || cents > DEFAULT_AMOUNT_CAP_CENTS || cart.lines.length >= MAX_SALE_LINES) return cart;
  return { ...cart, lines: [...cart.lines, { name, unitPriceCents: cents, quantity: 1, vatRateBp }] };
}

/** Changes a line's quantity (0 or less removes it), discount or note. */
export function updateLine(cart: CartDraft, index: number, change: Partial<Pick<SaleLine, 'quantity' | 'discount' | 'note'>>): CartDraft {
  const line = cart.lines[index];
  if (!line) return cart;
  const quantity = change.quantity ?? line.quantity;
  if (quantity <= 0) return { ...cart, lines: cart.lines.filter((_, at) => at !== index) };
  return withLine(cart, index, { ...line, ...change, quantity: Math.min(quantity, MAX_QUANTITY) });
}

/** The discount on the whole sale (percent or amount), or none. */
export function setDiscount(cart: CartDraft, discount: Discount | undefined): CartDraft {
  return { ...cart, discount };
}

export function setNote(cart: CartDraft, note: string): CartDraft {
  return { ...cart, note };
}

/** How many items the customer takes: the quantities added up. */
export function itemCount(lines: readonly SaleLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}

function withLine(cart: CartDraft, index: number, line: SaleLine): CartDraft {
  return { ...cart, lines: cart.lines.map((item, at) => (at === index ? line : item)) };
}
