import type { Product } from '../../../../shared/api.js';
import type { Discount } from '../../../../shared/cart.js';
import { MAX_QUANTITY, MAX_SALE_LINES, type SaleLine } from '../../../../shared/sale.js';
import type { LocalSale } from '../db/schema.js';
import { saleParts } from '../sale-parts.js';
import { freeAmountVatBp } from '../till-settings.js';

// The cart being rung up. It is kept in localStorage on every change, so a reload, an update or a
// crash of the tab does not lose a half-scanned basket; it becomes a sale only when paid.

const KEY = 'till.cart';

export interface CartDraft {
  lines: SaleLine[];
  discount: Discount | undefined;
  note: string;
}

function load(): CartDraft {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as CartDraft | null;
    if (stored && Array.isArray(stored.lines)) return { lines: stored.lines, discount: stored.discount, note: stored.note ?? '' };
  } catch {
    // A damaged draft is dropped: the cart starts empty.
  }
  return { lines: [], discount: undefined, note: '' };
}

export const cart = $state<CartDraft>(load());

function save(): void {
  localStorage.setItem(KEY, JSON.stringify(cart));
}

/** A product scanned or tapped again adds to its line (unless that line has its own discount or note). */
export function addProduct(product: Product): void {
  const line = cart.lines.find((item) => item.productId === product.id && !item.discount && !item.note && item.unitPriceCents === product.priceCents);
  if (line) {
    const index = cart.lines.indexOf(line);
    cart.lines[index] = { ...line, quantity: Math.min(line.quantity + 1, MAX_QUANTITY) };
  } else if (cart.lines.length < MAX_SALE_LINES) {
    cart.lines.push({ name: product.name, unitPriceCents: product.priceCents, quantity: 1, vatRateBp: product.vatRateBp, productId: product.id });
  }
  save();
}

export function addAmount(cents: number, name: string): void {
  if (cents <= 0 || cart.lines.length >= MAX_SALE_LINES) return;
  cart.lines.push({ name, unitPriceCents: cents, quantity: 1, vatRateBp: freeAmountVatBp() });
  save();
}

export function updateLine(index: number, change: Partial<Pick<SaleLine, 'quantity' | 'discount' | 'note'>>): void {
  const line = cart.lines[index];
  if (!line) return;
  const quantity = change.quantity ?? line.quantity;
  if (quantity <= 0) cart.lines.splice(index, 1);
  else cart.lines[index] = { ...line, ...change, quantity: Math.min(quantity, MAX_QUANTITY) };
  save();
}

export function setCartDiscount(discount: Discount | undefined): void {
  cart.discount = discount;
  save();
}

export function setCartNote(note: string): void {
  cart.note = note;
  save();
}

export function clearCart(): void {
  cart.lines = [];
  cart.discount = undefined;
  cart.note = '';
  save();
}

/** Puts an unpaid sale's basket back in the cart (after a declined or expired card payment). */
export function restoreCart(sale: LocalSale): void {
  const parts = saleParts(sale, freeAmountVatBp());
  cart.lines = parts.lines.map((line) => ({ ...line }));
  cart.discount = parts.discount;
  cart.note = parts.note ?? '';
  save();
}
